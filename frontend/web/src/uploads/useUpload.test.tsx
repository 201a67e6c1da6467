import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError } from 'urql';
import { useUpload } from './useUpload';
import type { StepResult, UploadConfig } from './useUpload';
import { UploadProgress } from './UploadProgress';
import { IMAGES_AND_PDF } from './limits';
import { startPutServer } from './testServer.mjs';
import type { PutServer } from './testServer.mjs';

let server: PutServer;
let counter = 0;
beforeAll(async () => {
  server = await startPutServer();
});
afterAll(async () => {
  await server.close();
});

interface TestSlot {
  url: string;
  id: string;
}

/** A fresh path per slot, so each test finds its own PUT among the server's. */
function slotAt(kind: 'ok' | 'hold' | 'status/403' | 'drop'): TestSlot {
  counter += 1;
  return { url: `${server.origin}/${kind}/${counter}`, id: `slot-${counter}` };
}

function pdf(text = '%PDF-1.7 材料'): File {
  return new File([text], '材料.pdf', { type: 'application/pdf' });
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function renderUpload<R = undefined>(config: UploadConfig<TestSlot, R>) {
  return renderHook(() => useUpload(config));
}

const noErrors = { errors: [] };

describe('useUpload', () => {
  it('goes requesting → uploading → confirming → done, PUTting the bytes with the declared type', async () => {
    const calls: string[] = [];
    const done: unknown[] = [];
    const slot = slotAt('hold');
    const requested = deferred<StepResult<TestSlot>>();
    const confirmed = deferred<StepResult<{ documentId: string }>>();
    const { result } = renderUpload<{ documentId: string }>({
      limits: IMAGES_AND_PDF,
      request: (file, contentType) => {
        calls.push(`request ${file.name} ${file.size} ${contentType}`);
        return requested.promise;
      },
      confirm: (s) => {
        calls.push(`confirm ${s.id}`);
        return confirmed.promise;
      },
      onDone: ({ file, result: r }) => done.push([file.name, r]),
    });
    const file = pdf();
    let running: Promise<unknown> = Promise.resolve();
    act(() => {
      running = result.current.start(file);
    });
    expect(result.current.state).toEqual({ phase: 'requesting', filename: '材料.pdf' });
    expect(result.current.busy).toBe(true);

    await act(async () => requested.resolve({ ...noErrors, value: slot }));
    await server.held();
    expect(result.current.state).toEqual({ phase: 'uploading', filename: '材料.pdf', percent: 0 });

    server.release();
    await waitFor(() => expect(result.current.state.phase).toBe('confirming'));
    expect(calls).toEqual([`request 材料.pdf ${file.size} application/pdf`, `confirm ${slot.id}`]);
    expect(done).toEqual([]);

    await act(async () => {
      confirmed.resolve({ ...noErrors, value: { documentId: 'RG9jOjE=' } });
      expect(await running).toMatchObject({ ok: true, slot, result: { documentId: 'RG9jOjE=' } });
    });
    expect(result.current.state).toEqual({ phase: 'done', filename: '材料.pdf' });
    expect(result.current.busy).toBe(false);
    expect(done).toEqual([['材料.pdf', { documentId: 'RG9jOjE=' }]]);
  });

  it('stores exactly the bytes, with the declared content type', async () => {
    const slot = slotAt('ok');
    const { result } = renderUpload({ request: async () => ({ ...noErrors, value: slot }) });
    await act(async () => {
      await result.current.start(pdf('%PDF-1.7 内容'));
    });
    const put = server.received.find((r) => r.path === new URL(slot.url).pathname);
    expect(put?.contentType).toBe('application/pdf');
    expect(put?.text).toBe('%PDF-1.7 内容');
  });

  it('is done after the PUT when the flow has no confirm step (the slot is used later)', async () => {
    const slot = slotAt('ok');
    const { result } = renderUpload({ request: async () => ({ ...noErrors, value: slot }) });
    let outcome: Awaited<ReturnType<typeof result.current.start>> | undefined;
    await act(async () => {
      outcome = await result.current.start(pdf());
    });
    expect(result.current.state.phase).toBe('done');
    expect(outcome).toEqual({ ok: true, file: expect.any(File), slot, result: undefined });
  });

  it('declares the type by extension when the browser gives none', async () => {
    const types: string[] = [];
    const { result } = renderUpload({
      request: async (_file, contentType) => {
        types.push(contentType);
        return { ...noErrors, value: slotAt('ok') };
      },
    });
    await act(async () => {
      await result.current.start(new File(['\x89PNG'], 'scan.PNG', { type: '' }));
    });
    expect(types).toEqual(['image/png']);
  });

  it('refuses a file over the limits before asking for a slot', async () => {
    let requested = 0;
    const failed: string[] = [];
    const { result } = renderUpload({
      limits: { maxBytes: 4, types: ['application/pdf'] },
      request: async () => {
        requested += 1;
        return { ...noErrors, value: slotAt('ok') };
      },
      onFailed: (f) => failed.push(f.code),
    });
    await act(async () => {
      await result.current.start(pdf('12345'));
    });
    expect(result.current.state).toMatchObject({ phase: 'failed', code: 'TOO_LARGE', field: 'size', message: '文件不能超过1KB' });
    await act(async () => {
      await result.current.start(new File(['gif'], 'a.gif', { type: 'image/gif' }));
    });
    expect(result.current.state).toMatchObject({
      phase: 'failed',
      code: 'UNSUPPORTED_TYPE',
      field: 'contentType',
      message: '只支持 PDF 文件',
    });
    expect(requested).toBe(0);
    expect(failed).toEqual(['TOO_LARGE', 'UNSUPPORTED_TYPE']);
  });

  it("shows the request's payload errors as the server wrote them, and PUTs nothing", async () => {
    const before = server.received.length;
    const errors = [
      { field: 'size', code: 'DOCUMENT_TOO_LARGE', message: '文件不能超过5MB' },
      { field: 'kind', code: 'INVALID_VALUE', message: '材料类型无效' },
    ];
    const { result } = renderUpload({ request: async () => ({ errors, value: null }) });
    let outcome: Awaited<ReturnType<typeof result.current.start>> | undefined;
    await act(async () => {
      outcome = await result.current.start(pdf());
    });
    const failure = { phase: 'failed', filename: '材料.pdf', message: '文件不能超过5MB', field: 'size', code: 'DOCUMENT_TOO_LARGE', errors };
    expect(result.current.state).toEqual(failure);
    expect(outcome).toEqual({ ok: false, failure });
    expect(server.received.length).toBe(before);
  });

  it('turns a top-level GraphQL error into one message (with the request id)', async () => {
    const error = new CombinedError({
      graphQLErrors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN', requestId: 'req-7' } }],
    });
    const { result } = renderUpload({ request: async (): Promise<StepResult<TestSlot>> => ({ error }) });
    await act(async () => {
      await result.current.start(pdf());
    });
    expect(result.current.state).toMatchObject({
      phase: 'failed',
      code: 'REQUEST_FAILED',
      field: null,
      message: '当前角色无权执行此操作（请求编号 req-7）',
    });
  });

  it('fails on an HTTP error of the PUT without confirming; retry asks for a fresh slot', async () => {
    const slots = [slotAt('status/403'), slotAt('ok')];
    const requested: string[] = [];
    let confirmed = 0;
    const { result } = renderUpload<string>({
      request: async () => {
        const slot = slots[requested.length]!;
        requested.push(slot.id);
        return { ...noErrors, value: slot };
      },
      confirm: async () => {
        confirmed += 1;
        return { ...noErrors, value: 'ok' };
      },
    });
    await act(async () => {
      await result.current.start(pdf());
    });
    expect(result.current.state).toMatchObject({ phase: 'failed', code: 'HTTP_ERROR', message: '上传链接已失效，请重新上传（HTTP 403）' });
    expect(confirmed).toBe(0);
    await act(async () => {
      await result.current.retry();
    });
    expect(result.current.state.phase).toBe('done');
    expect(requested).toEqual([slots[0]!.id, slots[1]!.id]);
    expect(confirmed).toBe(1);
  });

  it('fails as a network error when the connection drops', async () => {
    const { result } = renderUpload({ request: async () => ({ ...noErrors, value: slotAt('drop') }) });
    await act(async () => {
      await result.current.start(pdf());
    });
    expect(result.current.state).toMatchObject({ phase: 'failed', code: 'NETWORK_ERROR', message: '上传失败，请检查网络后重试' });
  });

  it("shows the confirm's payload errors (the server refused the bytes)", async () => {
    const errors = [{ field: 'id', code: 'DOCUMENT_INVALID', message: '文件内容与类型不符' }];
    const { result } = renderUpload<string>({
      request: async () => ({ ...noErrors, value: slotAt('ok') }),
      confirm: async () => ({ errors, value: null }),
    });
    await act(async () => {
      await result.current.start(pdf());
    });
    expect(result.current.state).toMatchObject({ phase: 'failed', code: 'DOCUMENT_INVALID', field: 'id', message: '文件内容与类型不符' });
  });

  it('cancel aborts the PUT in flight: failed(CANCELLED), no confirm, the store saw the abort', async () => {
    let confirmed = 0;
    const { result } = renderUpload<string>({
      request: async () => ({ ...noErrors, value: slotAt('hold') }),
      confirm: async () => {
        confirmed += 1;
        return { ...noErrors, value: 'ok' };
      },
    });
    let running: Promise<unknown> = Promise.resolve();
    act(() => {
      running = result.current.start(pdf());
    });
    await server.held();
    expect(result.current.state.phase).toBe('uploading');
    expect(result.current.busy).toBe(true);
    act(() => result.current.cancel());
    expect(result.current.state).toMatchObject({ phase: 'failed', code: 'CANCELLED', message: '上传已取消' });
    await act(async () => {
      expect(await running).toMatchObject({ ok: false, failure: { code: 'CANCELLED' } });
    });
    await server.heldAborted();
    server.release();
    expect(confirmed).toBe(0);
    expect(result.current.state).toMatchObject({ phase: 'failed', code: 'CANCELLED' });
  });

  it('cancel while the slot is being requested drops the late slot: nothing is PUT', async () => {
    const slot = deferred<StepResult<TestSlot>>();
    const requested = slotAt('ok');
    const { result } = renderUpload({ request: () => slot.promise });
    let running: Promise<unknown> = Promise.resolve();
    act(() => {
      running = result.current.start(pdf());
    });
    expect(result.current.state.phase).toBe('requesting');
    act(() => result.current.cancel());
    await act(async () => {
      slot.resolve({ ...noErrors, value: requested });
      await running;
    });
    expect(result.current.state).toMatchObject({ phase: 'failed', code: 'CANCELLED' });
    expect(server.received.some((r) => r.path === new URL(requested.url).pathname)).toBe(false);
  });

  it('aborts the PUT when the component unmounts', async () => {
    const { result, unmount } = renderUpload({ request: async () => ({ ...noErrors, value: slotAt('hold') }) });
    act(() => {
      void result.current.start(pdf());
    });
    await server.held();
    unmount();
    await server.heldAborted();
    server.release();
  });

  it('a second start supersedes the first', async () => {
    const first = deferred<StepResult<TestSlot>>();
    const later = slotAt('ok');
    const calls: number[] = [];
    const { result } = renderUpload({
      request: () => {
        calls.push(calls.length);
        return calls.length === 1 ? first.promise : Promise.resolve({ ...noErrors, value: later });
      },
    });
    let one: Promise<unknown> = Promise.resolve();
    act(() => {
      one = result.current.start(pdf('one'));
    });
    await act(async () => {
      await result.current.start(pdf('two'));
    });
    await act(async () => {
      first.resolve({ ...noErrors, value: slotAt('ok') });
      expect(await one).toMatchObject({ ok: false, failure: { code: 'CANCELLED' } });
    });
    expect(result.current.state.phase).toBe('done');
    expect(server.received.find((r) => r.path === new URL(later.url).pathname)?.text).toBe('two');
  });
});

function Harness({ config }: { config: UploadConfig<TestSlot, undefined> }) {
  const upload = useUpload(config);
  return (
    <>
      <input type="file" aria-label="选择文件" onChange={(e) => e.target.files?.[0] && void upload.start(e.target.files[0])} />
      <UploadProgress upload={upload} label="材料上传进度" showDone />
    </>
  );
}

describe('UploadProgress', () => {
  it('shows the failure with 重试, which uploads the same file again', async () => {
    const slots = [slotAt('status/403'), slotAt('ok')];
    let n = 0;
    render(<Harness config={{ limits: IMAGES_AND_PDF, request: async () => ({ ...noErrors, value: slots[n++]! }) }} />);
    await userEvent.upload(screen.getByLabelText('选择文件'), pdf('retry me'));
    expect(await screen.findByText('材料.pdf：上传链接已失效，请重新上传（HTTP 403）')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /重\s*试/ }));
    await waitFor(() => expect(screen.getByRole('progressbar', { name: '材料上传进度' })).toHaveAttribute('aria-valuenow', '100'));
    expect(screen.queryByRole('button', { name: /重\s*试/ })).toBeNull();
    expect(server.received.find((r) => r.path === new URL(slots[1]!.url).pathname)?.text).toBe('retry me');
  });

  it('offers 取消 while the PUT runs', async () => {
    render(<Harness config={{ request: async () => ({ ...noErrors, value: slotAt('hold') }) }} />);
    await userEvent.upload(screen.getByLabelText('选择文件'), pdf());
    await server.held();
    expect(screen.getByRole('progressbar', { name: '材料上传进度' })).toBeInTheDocument();
    await userEvent.click(await screen.findByRole('button', { name: /取\s*消/ }));
    expect(await screen.findByText('材料.pdf：上传已取消')).toBeInTheDocument();
    await server.heldAborted();
    server.release();
  });
});
