/**
 * What a slot accepts, checked in the browser before asking for one, so a too-large or
 * wrong file fails at once with the server's own wording (core/uploads.py
 * check_declaration). The server stays the authority: its limits are settings, these are
 * their defaults, and it sniffs the bytes after the PUT.
 */
import type { PayloadError } from '../forms/formErrors';

export interface UploadLimits {
  maxBytes: number;
  /** Allowed declared content types. */
  types: readonly string[];
}

const MB = 1024 * 1024;

const TYPE_LABELS: Readonly<Record<string, string>> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'application/pdf': 'PDF',
  'video/mp4': 'MP4',
  'video/webm': 'WebM',
};

/** 申请材料, 学时证明, 执业证明, 信用事件证明 (document_max_bytes and friends). */
export const IMAGES_AND_PDF: UploadLimits = { maxBytes: 10 * MB, types: ['image/jpeg', 'image/png', 'application/pdf'] };
/** 课件 (course_material_max_bytes). */
export const VIDEO_MATERIAL: UploadLimits = { maxBytes: 500 * MB, types: ['video/mp4', 'video/webm'] };
export const PDF_MATERIAL: UploadLimits = { maxBytes: 500 * MB, types: ['application/pdf'] };

/** The `accept` attribute of a file input for these limits. */
export function acceptOf(limits: UploadLimits): string {
  return limits.types.join(',');
}

export function limitText(maxBytes: number): string {
  return maxBytes >= MB ? `${Math.floor(maxBytes / MB)}MB` : `${Math.max(1, Math.floor(maxBytes / 1024))}KB`;
}

export function describeTypes(types: readonly string[]): string {
  return types.map((t) => TYPE_LABELS[t] ?? t).join('、');
}

/** The error the server would give for this declaration, or null when it passes. */
export function precheck(file: { size: number }, contentType: string, limits: UploadLimits): PayloadError | null {
  if (file.size <= 0) return { field: 'size', code: 'INVALID_SIZE', message: '文件大小无效' };
  if (file.size > limits.maxBytes) {
    return { field: 'size', code: 'TOO_LARGE', message: `文件不能超过${limitText(limits.maxBytes)}` };
  }
  const media = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (!limits.types.includes(media)) {
    return { field: 'contentType', code: 'UNSUPPORTED_TYPE', message: `只支持 ${describeTypes(limits.types)} 文件` };
  }
  return null;
}
