import { describe, expect, it } from 'vitest';
import { certificateQr as fixture, fixturePixels } from '../test/qrFixture';
import { decodeQrPixels, fitScale, pixelsOf } from './qrDecode';

describe('decodeQrPixels (jsQR, where BarcodeDetector is missing)', () => {
  it('reads the certificate link from a version-24 symbol', async () => {
    expect(fixture.version).toBe(24);
    expect(fixture.text).toMatch(/^https:\/\/regsafe\.example\/verify\?qr=RS1:[A-Za-z0-9_-]+$/);
    expect(await decodeQrPixels(fixturePixels())).toBe(fixture.text);
  });

  it('reads an inverted symbol (light on dark) only when asked to be thorough', async () => {
    const inverted = fixturePixels({ invert: true });
    expect(await decodeQrPixels(inverted)).toBeNull();
    expect(await decodeQrPixels(inverted, { thorough: true })).toBe(fixture.text);
  });

  it('says null for pixels without a QR code', async () => {
    const blank = { data: new Uint8ClampedArray(200 * 200 * 4).fill(255), width: 200, height: 200 };
    expect(await decodeQrPixels(blank)).toBeNull();
  });
});

describe('pixelsOf', () => {
  it('draws the source scaled to at most 1280 px and reads it back', () => {
    const drawn: number[][] = [];
    const context = {
      drawImage: (_: unknown, x: number, y: number, w: number, h: number) => drawn.push([x, y, w, h]),
      getImageData: (_x: number, _y: number, w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4), width: w, height: h }),
    };
    const canvas = { width: 0, height: 0, getContext: () => context } as unknown as HTMLCanvasElement;
    const pixels = pixelsOf({} as CanvasImageSource, 2560, 1440, canvas);
    expect(drawn).toEqual([[0, 0, 1280, 720]]);
    expect(pixels?.width).toBe(1280);
    expect(pixelsOf({} as CanvasImageSource, 0, 0, canvas)).toBeNull();
    expect(fitScale(640, 480)).toBe(1);
  });
});
