/** Pure helpers of the certificate screens: verdict presentation and verifier input. */
import dayjs from 'dayjs';
import type { CertificateVerificationStatus } from '../gql/graphql';

/** The prefix of the QR text: the signed payload itself (RS1:<base64url>). */
export const QR_PREFIX = 'RS1:';

export type VerifierInput =
  | { kind: 'empty' }
  | { kind: 'number'; number: string }
  | { kind: 'qr'; qrPayload: string };

/** A certificate number as people type it: no spaces or dashes, upper case. */
export function normalizeNumber(text: string): string {
  return text.replace(/[\s\-_－—·.]/g, '').toUpperCase();
}

/**
 * The `qr` parameter of a verification link as the certificate QR carries it
 * (`<public url>/verify?qr=RS1:…`, any host: only the signature decides), or null when
 * the text is no such link. Older certificates carry the bare `RS1:` text instead.
 */
export function qrOfLink(text: string): string | null {
  if (!/^https?:\/\//i.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!/\/verify\/?$/i.test(url.pathname)) return null;
  const values = url.searchParams.getAll('qr');
  return values.length === 1 && values[0]?.trim() ? values[0].trim() : null;
}

/**
 * What a verifier typed, pasted or scanned: the link of the certificate QR
 * (`…/verify?qr=RS1:…`, read for its `qr`), the QR text (`RS1:…`, kept exactly — one
 * changed character must fail the signature), a verification link
 * (`…/verify/<number>`), or a certificate number.
 */
export function parseVerifierInput(raw: string | null | undefined): VerifierInput {
  const text = (raw ?? '').trim();
  if (text === '') return { kind: 'empty' };
  const linked = qrOfLink(text);
  if (linked !== null) return parseVerifierInput(linked);
  if (text.slice(0, QR_PREFIX.length).toUpperCase() === QR_PREFIX) {
    return { kind: 'qr', qrPayload: QR_PREFIX + text.slice(QR_PREFIX.length).replace(/\s+/g, '') };
  }
  const link = /\/verify\/([^/?#\s]+)\/?(?:[?#].*)?$/i.exec(text);
  if (link) {
    let segment = link[1] ?? '';
    try {
      segment = decodeURIComponent(segment);
    } catch {
      // keep it as it is
    }
    if (segment.toLowerCase() !== 'transcript') return { kind: 'number', number: normalizeNumber(segment) };
  }
  return { kind: 'number', number: normalizeNumber(text) };
}

/** The SPA address showing the verification of this input. */
export function verifyPath(input: VerifierInput): string {
  switch (input.kind) {
    case 'empty':
      return '/verify';
    case 'number':
      return `/verify/${encodeURIComponent(input.number)}`;
    case 'qr':
      return `/verify?qr=${encodeURIComponent(input.qrPayload)}`;
  }
}

export type Tone = 'success' | 'warning' | 'error' | 'info';

/**
 * Banner tone of a verdict: only VALID is good; ended ones warn; a failed signature or
 * revocation fails; an unknown number (usually mistyped) only informs.
 */
export function verificationTone(status: CertificateVerificationStatus): Tone {
  switch (status) {
    case 'VALID':
      return 'success';
    case 'EXPIRED':
    case 'SUPERSEDED':
    case 'CANCELLED':
      return 'warning';
    case 'REVOKED':
    case 'TAMPERED':
      return 'error';
    case 'UNKNOWN':
      return 'info';
  }
}

export type CheckState = 'pass' | 'fail' | 'pending';

/** A tri-state check (true / false / null = not checked yet) for display. */
export function checkState(value: boolean | null | undefined): CheckState {
  if (value === true) return 'pass';
  if (value === false) return 'fail';
  return 'pending';
}

export const CHECK_STATE_LABELS: Readonly<Record<CheckState, string>> = {
  pass: '通过',
  fail: '未通过',
  pending: '未核验',
};

export const CHECK_STATE_COLORS: Readonly<Record<CheckState, string>> = {
  pass: 'success',
  fail: 'error',
  pending: 'default',
};

/** Middle-ellipsis for long hashes and keys: "abcdef…uvwxyz". */
export function shortHash(value: string | null | undefined, keep = 8): string {
  if (!value) return '';
  return value.length <= keep * 2 + 1 ? value : `${value.slice(0, keep)}…${value.slice(-keep)}`;
}

/** Save text as a file in the browser (proof bundle, VC JSON). */
export function downloadText(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Whether the browser can scan a QR code from the camera (BarcodeDetector + camera). */
export function cameraScanSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    'BarcodeDetector' in window &&
    typeof navigator !== 'undefined' &&
    !!navigator.mediaDevices?.getUserMedia
  );
}

/** The local calendar day of a date-time, as 2026年11月29日 ("" for null). */
export function formatChineseDay(value: string | null | undefined): string {
  if (!value) return '';
  const day = dayjs(value);
  return day.isValid() ? day.format('YYYY年M月D日') : value;
}
