import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import { QrScanModal } from './QrScanModal';
import { certificateQr, fixturePixels } from '../../test/qrFixture';

function photo(): File {
  return new File([new Uint8Array([0xff, 0xd8, 0xff])], 'qr.jpg', { type: 'image/jpeg' });
}

afterEach(() => {
  vi.restoreAllMocks();
  Reflect.deleteProperty(navigator, 'mediaDevices');
  Reflect.deleteProperty(HTMLVideoElement.prototype, 'videoWidth');
  Reflect.deleteProperty(HTMLVideoElement.prototype, 'videoHeight');
});

describe('扫码核验 without BarcodeDetector (iOS Safari)', () => {
  it('decodes a picked photo with jsQR', async () => {
    const onScanned = vi.fn();
    const readPhoto = vi.fn(async () => fixturePixels({ scale: 3 }));
    render(
      <App>
        <QrScanModal open onClose={() => undefined} onScanned={onScanned} readPhoto={readPhoto} />
      </App>,
    );
    // jsdom has no camera either: the photo is the way in, and it says so
    expect(await screen.findByText(/无法打开摄像头/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /拍照或选择照片识别/ })).toBeInTheDocument();
    const input = screen.getByLabelText('二维码照片');
    expect(input).toHaveAttribute('accept', 'image/*');
    expect(input).toHaveAttribute('capture', 'environment');
    fireEvent.change(input, { target: { files: [photo()] } });
    await waitFor(() => expect(onScanned).toHaveBeenCalledWith(certificateQr.text));
    expect(readPhoto).toHaveBeenCalledTimes(1);
  });

  it('says so when the photo holds no readable QR code', async () => {
    const onScanned = vi.fn();
    const blank = { data: new Uint8ClampedArray(100 * 100 * 4).fill(255), width: 100, height: 100 };
    render(
      <App>
        <QrScanModal open onClose={() => undefined} onScanned={onScanned} readPhoto={async () => blank} />
      </App>,
    );
    fireEvent.change(await screen.findByLabelText('二维码照片'), { target: { files: [photo()] } });
    expect(await screen.findByText(/未能从照片中识别出二维码/)).toBeInTheDocument();
    expect(onScanned).not.toHaveBeenCalled();
  });

  it('decodes the camera frames with jsQR and stops the camera', async () => {
    const stop = vi.fn();
    const stream = { getTracks: () => [{ stop }] } as unknown as MediaStream;
    Object.defineProperty(navigator, 'mediaDevices', {
      configurable: true,
      value: { getUserMedia: vi.fn(async () => stream) },
    });
    const pixels = fixturePixels({ scale: 3 });
    Object.defineProperty(HTMLVideoElement.prototype, 'videoWidth', { configurable: true, get: () => pixels.width });
    Object.defineProperty(HTMLVideoElement.prototype, 'videoHeight', { configurable: true, get: () => pixels.height });
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({
      drawImage: () => undefined,
      getImageData: () => ({ data: pixels.data, width: pixels.width, height: pixels.height }),
    } as unknown as CanvasRenderingContext2D);
    expect('BarcodeDetector' in window).toBe(false);
    const onScanned = vi.fn();
    const { rerender } = render(
      <App>
        <QrScanModal open onClose={() => undefined} onScanned={onScanned} />
      </App>,
    );
    expect(await screen.findByLabelText('摄像头画面')).toBeInTheDocument();
    await waitFor(() => expect(onScanned).toHaveBeenCalledWith(certificateQr.text));
    expect(onScanned).toHaveBeenCalledTimes(1);
    rerender(
      <App>
        <QrScanModal open={false} onClose={() => undefined} onScanned={onScanned} />
      </App>,
    );
    await waitFor(() => expect(stop).toHaveBeenCalled());
  });
});
