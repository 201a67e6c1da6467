/** The product's shield mark (also public/favicon.svg). */
export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <path fill="#1677ff" d="M32 4 8 13v17c0 15 10.2 26.6 24 30 13.8-3.4 24-15 24-30V13L32 4z" />
      <path fill="#fff" d="m27.5 41.5-9-9 3.6-3.6 5.4 5.4 14.4-14.4 3.6 3.6z" />
    </svg>
  );
}
