/**
 * The byte transfer of an upload: PUT the file to the presigned URL with XMLHttpRequest,
 * so the page can show progress (fetch reports no upload progress) and cancel it.
 */

/** Why a PUT failed; `code` is one of the client-side codes below, never a server one. */
export class PutError extends Error {
  readonly code: 'HTTP_ERROR' | 'NETWORK_ERROR' | 'CANCELLED';
  readonly status: number | null;

  constructor(code: PutError['code'], message: string, status: number | null = null) {
    super(message);
    this.name = 'PutError';
    this.code = code;
    this.status = status;
  }
}

export interface PutOptions {
  onProgress?: (percent: number) => void;
  /** Aborting it aborts the XHR; the promise then rejects with code CANCELLED. */
  signal?: AbortSignal;
}

function httpMessage(status: number): string {
  // The object store answers 403 for an expired or otherwise invalid presigned URL.
  if (status === 403) return '上传链接已失效，请重新上传（HTTP 403）';
  return `上传失败（HTTP ${status}），请重试`;
}

export function putFile(url: string, file: Blob, contentType: string, options: PutOptions = {}): Promise<void> {
  const { onProgress, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PutError('CANCELLED', '上传已取消'));
      return;
    }
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const settle = (fn: () => void) => {
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () =>
      settle(() => {
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress?.(100);
          resolve();
        } else {
          reject(new PutError('HTTP_ERROR', httpMessage(xhr.status), xhr.status));
        }
      });
    xhr.onerror = () => settle(() => reject(new PutError('NETWORK_ERROR', '上传失败，请检查网络后重试')));
    xhr.onabort = () => settle(() => reject(new PutError('CANCELLED', '上传已取消')));
    signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(file);
  });
}

const BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  webm: 'video/webm',
};

/**
 * The content type to declare: the browser's guess, else by extension. The server sniffs
 * the bytes anyway; the declaration only has to be one of the slot's allowed types.
 */
export function contentTypeOf(file: { name: string; type: string }): string {
  if (file.type) return file.type;
  const ext = file.name.toLowerCase().split('.').pop() ?? '';
  return BY_EXTENSION[ext] ?? 'application/octet-stream';
}
