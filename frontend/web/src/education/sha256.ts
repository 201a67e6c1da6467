/** SHA-256 of a file, hex, computed in the browser (the file never leaves the device). */
export async function sha256Hex(data: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Codes are printed in capitals without 0/O/1/I/L; accept what people type. */
export function normalizeCode(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}
