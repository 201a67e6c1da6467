import { useEffect, useRef, useState } from 'react';
import type { ChangeEvent } from 'react';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { PictureOutlined } from '@ant-design/icons';
import { decodeQrPixels, pixelsOf, pixelsOfFile } from '../../certificates/qrDecode';
import type { Pixels } from '../../certificates/qrDecode';

/** The part of the Shape Detection API's BarcodeDetector this page uses. */
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (options: { formats: string[] }) => BarcodeDetectorLike;

export interface QrScanModalProps {
  open: boolean;
  onClose: () => void;
  onScanned: (text: string) => void;
  /** Pixels of a picked photo (tests pass their own; the default draws it on a canvas). */
  readPhoto?: (file: Blob) => Promise<Pixels | null>;
}

const NO_CAMERA = '当前浏览器无法打开摄像头：请拍照或选择二维码照片识别，或粘贴二维码内容';
const CAMERA_REFUSED = '无法打开摄像头：请允许使用摄像头，或拍照/选择二维码照片识别，或粘贴二维码内容';
const PHOTO_UNREADABLE = '未能从照片中识别出二维码：请拍摄清晰、完整、正对的二维码后重试';

/**
 * 扫码核验: reads a QR code from the camera with the browser's BarcodeDetector, or where
 * it is missing (iOS Safari) with jsQR on the camera frames; a photo can be taken or
 * picked instead and is decoded the same way. Stops the camera when closed.
 */
export function QrScanModal({ open, onClose, onScanned, readPhoto = pixelsOfFile }: QrScanModalProps) {
  const video = useRef<HTMLVideoElement>(null);
  const photo = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [photoProblem, setPhotoProblem] = useState<string | null>(null);
  const [reading, setReading] = useState(false);

  useEffect(() => {
    if (!open) return undefined;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    setProblem(null);
    setPhotoProblem(null);
    if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      setProblem(NO_CAMERA);
      return undefined;
    }
    const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
    let detect: (frame: HTMLVideoElement) => Promise<string | null>;
    if (Detector) {
      const detector = new Detector({ formats: ['qr_code'] });
      detect = async (frame) => (await detector.detect(frame)).find((b) => b.rawValue)?.rawValue ?? null;
    } else {
      const canvas = document.createElement('canvas');
      detect = async (frame) => {
        const pixels = pixelsOf(frame, frame.videoWidth, frame.videoHeight, canvas);
        return pixels ? decodeQrPixels(pixels) : null;
      };
    }
    const tick = async () => {
      if (stopped || !video.current) return;
      try {
        const text = await detect(video.current);
        if (text && !stopped) {
          stopped = true;
          onScanned(text);
          return;
        }
      } catch {
        // a frame the decoder could not read: try the next one
      }
      if (!stopped) timer = window.setTimeout(tick, Detector ? 250 : 300);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (media) => {
        stream = media;
        if (stopped || !video.current) {
          media.getTracks().forEach((t) => t.stop());
          return;
        }
        video.current.srcObject = media;
        await video.current.play();
        void tick();
      })
      .catch(() => {
        if (!stopped) setProblem(CAMERA_REFUSED);
      });
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [open, onScanned]);

  const onPhoto = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ''; // the same photo can be picked again
    if (!file) return;
    setReading(true);
    setPhotoProblem(null);
    try {
      const pixels = await readPhoto(file);
      const text = pixels ? await decodeQrPixels(pixels, { thorough: true }) : null;
      if (text) onScanned(text);
      else setPhotoProblem(PHOTO_UNREADABLE);
    } catch {
      setPhotoProblem(PHOTO_UNREADABLE);
    } finally {
      setReading(false);
    }
  };

  return (
    <Modal title="扫描证书二维码" open={open} onCancel={onClose} footer={null} destroyOnHidden>
      <Space orientation="vertical" className="full-width">
        {problem ? (
          <Alert type="warning" showIcon title={problem} />
        ) : (
          <>
            <video ref={video} className="certificate-scan-video" muted playsInline aria-label="摄像头画面" />
            <Typography.Text type="secondary">将证书上的二维码对准摄像头，识别后自动核验。</Typography.Text>
          </>
        )}
        <input
          ref={photo}
          type="file"
          accept="image/*"
          capture="environment"
          hidden
          aria-label="二维码照片"
          onChange={(event) => void onPhoto(event)}
        />
        <Button icon={<PictureOutlined />} loading={reading} onClick={() => photo.current?.click()}>
          拍照或选择照片识别
        </Button>
        {photoProblem ? <Alert type="error" showIcon title={photoProblem} role="alert" /> : null}
      </Space>
    </Modal>
  );
}
