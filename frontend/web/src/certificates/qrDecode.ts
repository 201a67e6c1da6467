/**
 * QR decoding where the browser has no BarcodeDetector (iOS Safari, Firefox): jsQR
 * (pure JS) on RGBA pixels of a camera frame or of a picked photo. jsQR is imported on
 * first use only, so it stays out of every route's initial JavaScript.
 */

/** RGBA pixels, row by row (what `CanvasRenderingContext2D.getImageData` returns). */
export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** The longest side pixels are read at: a certificate QR (version ≈ 24, 113 modules) needs ≥ 2–3 px per module. */
export const MAX_SIDE = 1280;

let decoder: Promise<typeof import('jsqr').default> | null = null;

function jsQR(): Promise<typeof import('jsqr').default> {
  decoder ??= import('jsqr').then((m) => m.default);
  return decoder;
}

/**
 * The text of the QR code in these pixels, or null. `thorough` also tries inverted
 * (light-on-dark) symbols: for a photo, once; camera frames skip it to keep up.
 */
export async function decodeQrPixels(pixels: Pixels, { thorough = false } = {}): Promise<string | null> {
  const decode = await jsQR();
  const found = decode(pixels.data, pixels.width, pixels.height, {
    inversionAttempts: thorough ? 'attemptBoth' : 'dontInvert',
  });
  return found?.data ? found.data : null;
}

/** Scale (≤ 1) that brings the longest side to at most MAX_SIDE. */
export function fitScale(width: number, height: number, maxSide = MAX_SIDE): number {
  const longest = Math.max(width, height);
  return longest > maxSide ? maxSide / longest : 1;
}

/** Pixels of a drawable (video frame, image, bitmap) through a canvas; null if it has no size yet or no 2D context. */
export function pixelsOf(
  source: CanvasImageSource,
  width: number,
  height: number,
  canvas: HTMLCanvasElement = document.createElement('canvas'),
): Pixels | null {
  if (!width || !height) return null;
  const scale = fitScale(width, height);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context || typeof context.getImageData !== 'function') return null;
  context.drawImage(source, 0, 0, w, h);
  const image = context.getImageData(0, 0, w, h);
  return { data: image.data, width: image.width, height: image.height };
}

/** Pixels of a picked photo (JPEG/PNG/HEIC as far as the browser decodes it); null if it cannot be read. */
export async function pixelsOfFile(file: Blob): Promise<Pixels | null> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bitmap = await createImageBitmap(file);
      try {
        return pixelsOf(bitmap, bitmap.width, bitmap.height);
      } finally {
        bitmap.close();
      }
    } catch {
      // fall through to <img>: some browsers' createImageBitmap rejects what <img> shows
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return pixelsOf(image, image.naturalWidth, image.naturalHeight);
  } catch {
    return null;
  } finally {
    URL.revokeObjectURL(url);
  }
}
