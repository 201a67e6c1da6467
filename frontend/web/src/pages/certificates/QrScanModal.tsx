import { useEffect, useRef, useState } from 'react';
import { Alert, Modal, Typography } from 'antd';

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
}

/**
 * 扫码核验: reads a QR code from the camera with the browser's BarcodeDetector (offered
 * only where it exists, see cameraScanSupported). Stops the camera when closed.
 */
export function QrScanModal({ open, onClose, onScanned }: QrScanModalProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return undefined;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    setProblem(null);
    const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
    if (!Detector) {
      setProblem('当前浏览器不支持扫码，请粘贴二维码内容或输入证书编号');
      return undefined;
    }
    const detector = new Detector({ formats: ['qr_code'] });
    const tick = async () => {
      if (stopped || !video.current) return;
      try {
        const found = await detector.detect(video.current);
        const text = found.find((b) => b.rawValue)?.rawValue;
        if (text && !stopped) {
          onScanned(text);
          return;
        }
      } catch {
        // a frame the detector could not read: try the next one
      }
      timer = window.setTimeout(tick, 250);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (media) => {
        stream = media;
        if (stopped || !video.current) return;
        video.current.srcObject = media;
        await video.current.play();
        void tick();
      })
      .catch(() => setProblem('无法打开摄像头：请允许使用摄像头，或粘贴二维码内容'));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [open, onScanned]);

  return (
    <Modal title="扫描证书二维码" open={open} onCancel={onClose} footer={null} destroyOnHidden>
      {problem ? (
        <Alert type="warning" showIcon title={problem} />
      ) : (
        <>
          <video ref={video} className="certificate-scan-video" muted playsInline aria-label="摄像头画面" />
          <Typography.Text type="secondary">将证书上的二维码对准摄像头，识别后自动核验。</Typography.Text>
        </>
      )}
    </Modal>
  );
}
