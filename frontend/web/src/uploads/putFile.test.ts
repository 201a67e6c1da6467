import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutError, contentTypeOf, putFile } from './putFile';
import { IMAGES_AND_PDF, VIDEO_MATERIAL, acceptOf, precheck } from './limits';
import { startPutServer } from './testServer.mjs';
import type { PutServer } from './testServer.mjs';

let server: PutServer;
beforeAll(async () => {
  server = await startPutServer();
});
afterAll(async () => {
  await server.close();
});

async function rejection(promise: Promise<unknown>): Promise<PutError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof PutError)) throw new Error(`expected a PutError, got ${String(error)}`);
  return error;
}

describe('putFile (a real XHR to a local server)', () => {
  it('PUTs the bytes with the declared content type and reports 100%', async () => {
    const seen: number[] = [];
    const file = new File(['%PDF-1.7 证明'], '证明.pdf', { type: 'application/pdf' });
    await putFile(`${server.origin}/ok/a`, file, 'application/pdf', { onProgress: (p) => seen.push(p) });
    const put = server.received.find((r) => r.path === '/ok/a');
    expect(put).toEqual({ path: '/ok/a', contentType: 'application/pdf', text: '%PDF-1.7 证明', size: file.size });
    expect(seen.at(-1)).toBe(100);
  });

  it('fails with the HTTP status when the store refuses (an expired URL answers 403)', async () => {
    const error = await rejection(putFile(`${server.origin}/status/403/a`, new Blob(['x']), 'image/png'));
    expect(error.code).toBe('HTTP_ERROR');
    expect(error.status).toBe(403);
    expect(error.message).toBe('上传链接已失效，请重新上传（HTTP 403）');
    const other = await rejection(putFile(`${server.origin}/status/500/a`, new Blob(['x']), 'image/png'));
    expect(other.message).toBe('上传失败（HTTP 500），请重试');
  });

  it('fails as a network error when the connection drops', async () => {
    const error = await rejection(putFile(`${server.origin}/drop/a`, new Blob(['x']), 'image/png'));
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toBe('上传失败，请检查网络后重试');
  });

  it('aborts the XHR when the signal fires, and the store sees the connection closed', async () => {
    const abort = new AbortController();
    const put = putFile(`${server.origin}/hold/a`, new Blob(['x'.repeat(1024)]), 'image/png', { signal: abort.signal });
    await server.held();
    abort.abort();
    const error = await rejection(put);
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toBe('上传已取消');
    await server.heldAborted();
    server.release();
  });

  it('does not start when the signal has already fired', async () => {
    const abort = new AbortController();
    abort.abort();
    const before = server.received.length;
    expect((await rejection(putFile(`${server.origin}/ok/never`, new Blob(['x']), 'image/png', { signal: abort.signal }))).code).toBe(
      'CANCELLED',
    );
    expect(server.received.length).toBe(before);
  });
});

describe('contentTypeOf', () => {
  it("takes the browser's type, else goes by the extension", () => {
    expect(contentTypeOf({ name: 'a.JPG', type: '' })).toBe('image/jpeg');
    expect(contentTypeOf({ name: 'b.pdf', type: '' })).toBe('application/pdf');
    expect(contentTypeOf({ name: 'c.png', type: 'image/png' })).toBe('image/png');
    expect(contentTypeOf({ name: 'lesson.webm', type: '' })).toBe('video/webm');
    expect(contentTypeOf({ name: 'lesson.MP4', type: '' })).toBe('video/mp4');
    expect(contentTypeOf({ name: 'notes', type: '' })).toBe('application/octet-stream');
  });
});

describe('precheck', () => {
  it("refuses what the server would, in the server's words", () => {
    expect(precheck({ size: 0 }, 'image/png', IMAGES_AND_PDF)).toEqual({ field: 'size', code: 'INVALID_SIZE', message: '文件大小无效' });
    expect(precheck({ size: 10 * 1024 * 1024 + 1 }, 'image/png', IMAGES_AND_PDF)).toEqual({
      field: 'size',
      code: 'TOO_LARGE',
      message: '文件不能超过10MB',
    });
    expect(precheck({ size: 10 }, 'image/gif', IMAGES_AND_PDF)).toEqual({
      field: 'contentType',
      code: 'UNSUPPORTED_TYPE',
      message: '只支持 JPEG、PNG、PDF 文件',
    });
    expect(precheck({ size: 10 }, 'application/pdf', VIDEO_MATERIAL)?.message).toBe('只支持 MP4、WebM 文件');
  });

  it('passes a file within the limits (the type compared without parameters and case)', () => {
    expect(precheck({ size: 10 * 1024 * 1024 }, 'image/png', IMAGES_AND_PDF)).toBeNull();
    expect(precheck({ size: 1 }, 'Application/PDF; charset=binary', IMAGES_AND_PDF)).toBeNull();
    expect(acceptOf(IMAGES_AND_PDF)).toBe('image/jpeg,image/png,application/pdf');
  });
});
