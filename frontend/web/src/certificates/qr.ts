/**
 * The certificate QR symbol as the API sends it (segno SVG: `width`/`height` in px at
 * the server's scale, a path under `transform="scale(N)"`, no viewBox), made to show
 * whole at a chosen size and to stay scannable: a viewBox from width/height, the size
 * set to a whole number of screen pixels per module, crisp edges.
 */

/** segno's quiet zone: 4 modules on every side (the QR minimum). */
export const QUIET_ZONE = 4;

/** Screen pixels per module below which phone cameras start to fail. */
export const MIN_MODULE_PX = 4;

/** Modules per side of a QR symbol of this version (1–40), without the quiet zone. */
export function qrModules(version: number): number {
  return 17 + 4 * version;
}

export interface QrSvgGeometry {
  /** The viewBox to use: the SVG's own, or "0 0 width height". */
  viewBox: string | null;
  /** Width of the drawing in viewBox units. */
  width: number | null;
  /** Modules per side including the quiet zone, when it can be told. */
  modules: number | null;
}

const SVG_OPEN = /<svg\b[^>]*>/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${escapeRegExp(name)}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
  if (!match) return null;
  return match[2] ?? match[3] ?? null;
}

function withAttribute(tag: string, name: string, value: string): string {
  const pattern = new RegExp(`\\s${escapeRegExp(name)}\\s*=\\s*("[^"]*"|'[^']*')`, 'i');
  const pair = ` ${name}="${value}"`;
  if (pattern.test(tag)) return tag.replace(pattern, pair);
  return tag.replace(/\s*(\/?)>$/, `${pair}$1>`);
}

/** A length attribute as a number of user units ("260", "260px"); null if absent or relative. */
function length(value: string | null): number | null {
  if (!value || /%$/.test(value.trim())) return null;
  const n = Number.parseFloat(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** What the SVG says of its own size, and how many modules it draws. */
export function qrSvgGeometry(svg: string, version?: number | null): QrSvgGeometry {
  const tag = SVG_OPEN.exec(svg)?.[0] ?? '';
  const own = attribute(tag, 'viewBox');
  const width = length(attribute(tag, 'width'));
  const height = length(attribute(tag, 'height'));
  let viewBox: string | null = null;
  let boxWidth: number | null = null;
  if (own && own.trim().split(/[\s,]+/).length === 4) {
    viewBox = own.trim();
    boxWidth = Number.parseFloat(viewBox.split(/[\s,]+/)[2] ?? '') || null;
  } else if (width && (height ?? width)) {
    viewBox = `0 0 ${width} ${height ?? width}`;
    boxWidth = width;
  }
  // segno draws in module units under transform="scale(N)": width / N is the module count.
  const scale = /transform\s*=\s*["']\s*scale\(\s*([\d.]+)/i.exec(svg)?.[1];
  let modules: number | null = null;
  if (boxWidth && scale && Number(scale) > 0) modules = Math.round(boxWidth / Number(scale));
  else if (version && version >= 1 && version <= 40) modules = qrModules(version) + 2 * QUIET_ZONE;
  if (!viewBox && modules) viewBox = `0 0 ${modules} ${modules}`;
  return { viewBox, width: boxWidth, modules };
}

/**
 * The displayed side in px: a whole number of pixels per module (so every module has
 * the same width and edges fall on pixels), at least `minModulePx`, and as close to
 * `target` as that allows.
 */
export function qrDisplaySize(modules: number, { target, minModulePx = MIN_MODULE_PX }: { target: number; minModulePx?: number }): number {
  const perModule = Math.max(minModulePx, Math.floor(target / modules));
  return perModule * modules;
}

/** The SVG markup sized to `size` px, whole (viewBox), square-pixelled. */
export function qrSvgAt(svg: string, size: number, version?: number | null): string {
  const match = SVG_OPEN.exec(svg);
  if (!match) return svg;
  const { viewBox } = qrSvgGeometry(svg, version);
  let tag = match[0];
  if (viewBox) tag = withAttribute(tag, 'viewBox', viewBox);
  tag = withAttribute(tag, 'width', String(size));
  tag = withAttribute(tag, 'height', String(size));
  tag = withAttribute(tag, 'preserveAspectRatio', 'xMidYMid meet');
  tag = withAttribute(tag, 'shape-rendering', 'crispEdges');
  tag = withAttribute(tag, 'style', 'display:block;image-rendering:pixelated');
  return svg.slice(0, match.index) + tag + svg.slice(match.index + match[0].length);
}

export interface QrViews {
  /** Modules per side including the quiet zone (null: unknown, sizes are then fixed). */
  modules: number | null;
  /** The inline (card) view: may be below MIN_MODULE_PX per module. */
  inline: { size: number; markup: string };
  /** The enlarged (放大) view: at least MIN_MODULE_PX per module. */
  full: { size: number; markup: string };
  /** Whether the inline view is too small to scan reliably (then offer 放大). */
  inlineBelowMinimum: boolean;
}

/** Both views of the certificate QR: inline at about `inlineTarget` px, full at ≥ 4 px per module. */
export function qrViews(svg: string, version?: number | null, { inlineTarget = 240, fullTarget = 560 } = {}): QrViews {
  const { modules } = qrSvgGeometry(svg, version);
  if (!modules) {
    return {
      modules: null,
      inline: { size: inlineTarget, markup: qrSvgAt(svg, inlineTarget, version) },
      full: { size: fullTarget, markup: qrSvgAt(svg, fullTarget, version) },
      inlineBelowMinimum: true,
    };
  }
  const inlineSize = qrDisplaySize(modules, { target: inlineTarget, minModulePx: 1 });
  const fullSize = qrDisplaySize(modules, { target: fullTarget });
  return {
    modules,
    inline: { size: inlineSize, markup: qrSvgAt(svg, inlineSize, version) },
    full: { size: fullSize, markup: qrSvgAt(svg, fullSize, version) },
    inlineBelowMinimum: inlineSize / modules < MIN_MODULE_PX,
  };
}
