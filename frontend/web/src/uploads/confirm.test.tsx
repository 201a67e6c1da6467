import { describe, expect, it } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Provider } from 'urql';
import { createApiClient } from '../api/client';
import { createTokenStore } from '../auth/tokenStore';
import { fakeApi } from '../test/fakeApi';
import type { GraphQLResponseBody } from '../test/fakeApi';
import { tokenPair } from '../test/fixtures';
import { useUploadConfirm } from './confirm';
import { UPLOAD_ERROR_MESSAGES, uploadErrorMessage } from './messages';

function slot(status: string, refusal: string | null = null) {
  return {
    id: 'VXBsb2FkU2xvdDo3',
    purpose: 'HOURS_EVIDENCE',
    status,
    refusal,
    size: status === 'CONFIRMED' ? 12 : null,
    sha256: status === 'CONFIRMED' ? 'ab'.repeat(32) : null,
    mediaType: status === 'CONFIRMED' ? 'application/pdf' : null,
    pages: status === 'CONFIRMED' ? 1 : null,
    confirmedAt: status === 'CONFIRMED' ? '2026-12-01T02:00:00+00:00' : null,
  };
}

function confirmWith(response: GraphQLResponseBody) {
  const api = fakeApi({ UploadConfirm: response });
  const tokens = createTokenStore(window.sessionStorage);
  tokens.set(tokenPair());
  const client = createApiClient({ tokens, onSessionEnded: () => undefined, fetch: api.fetch });
  const wrapper = ({ children }: { children: ReactNode }) => <Provider value={client}>{children}</Provider>;
  const { result } = renderHook(() => useUploadConfirm(), { wrapper });
  // useMutation sets its state when the result arrives: inside act, as React wants.
  const confirm = async (id: string) => {
    let confirmed: Awaited<ReturnType<typeof result.current>> | undefined;
    await act(async () => {
      confirmed = await result.current(id);
    });
    return confirmed!;
  };
  return { api, confirm };
}

describe('useUploadConfirm', () => {
  it('sends the slot id and gives the payload once the slot is CONFIRMED', async () => {
    const { api, confirm } = confirmWith({
      data: { uploadConfirm: { upload: slot('CONFIRMED'), target: null, errors: [] } },
    });
    const confirmed = await confirm('VXBsb2FkU2xvdDo3');
    expect(api.requests.map((r) => [r.operationName, r.variables])).toEqual([['UploadConfirm', { id: 'VXBsb2FkU2xvdDo3' }]]);
    expect(confirmed.error).toBeUndefined();
    expect(confirmed.errors).toEqual([]);
    expect(confirmed.value?.upload).toMatchObject({ id: 'VXBsb2FkU2xvdDo3', status: 'CONFIRMED', size: 12 });
  });

  it('is a failure with the zh-CN text when the server refuses the bytes', async () => {
    const { confirm } = confirmWith({
      data: {
        uploadConfirm: {
          upload: slot('REFUSED', 'SIZE_MISMATCH'),
          target: null,
          errors: [{ field: 'id', code: 'SIZE_MISMATCH', message: 'size mismatch' }],
        },
      },
    });
    const confirmed = await confirm('VXBsb2FkU2xvdDo3');
    expect(confirmed.value).toBeNull();
    expect(confirmed.errors).toEqual([{ field: 'id', code: 'SIZE_MISMATCH', message: '收到的文件大小与申报不符，请重新上传' }]);
  });

  it('keeps the server message where it names the limit or the state', async () => {
    const { confirm } = confirmWith({
      data: {
        uploadConfirm: {
          upload: slot('REFUSED', 'TOO_MANY_FILES'),
          target: null,
          errors: [{ field: 'id', code: 'TOO_MANY_FILES', message: '每条记录最多5份证明材料' }],
        },
      },
    });
    const confirmed = await confirm('VXBsb2FkU2xvdDo3');
    expect(confirmed.value).toBeNull();
    expect(confirmed.errors?.[0]?.message).toBe('每条记录最多5份证明材料');
  });

  it('is a failure, not a success, when no error is given but the slot is not CONFIRMED', async () => {
    const { confirm } = confirmWith({ data: { uploadConfirm: { upload: slot('PENDING'), target: null, errors: [] } } });
    const confirmed = await confirm('VXBsb2FkU2xvdDo3');
    expect(confirmed.value).toBeNull();
    expect(confirmed.errors).toEqual([]);
  });

  it('passes a top-level error on', async () => {
    const { confirm } = confirmWith({ errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    const confirmed = await confirm('VXBsb2FkU2xvdDo3');
    expect(confirmed.value).toBeNull();
    expect(confirmed.error?.graphQLErrors[0]?.extensions['code']).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('uploadErrorMessage', () => {
  it('words the storage outage and falls back to the server message for other codes', () => {
    expect(uploadErrorMessage({ code: 'STORAGE_UNAVAILABLE', message: 'storage down' })).toBe('文件存储暂时不可用，请稍后重试');
    expect(uploadErrorMessage({ code: 'EXPIRED', message: '' })).toBe(UPLOAD_ERROR_MESSAGES.EXPIRED);
    expect(uploadErrorMessage({ code: 'TOO_LARGE', message: '' })).toBe('文件过大');
    expect(uploadErrorMessage({ code: 'SOMETHING_NEW', message: '服务器的说明' })).toBe('服务器的说明');
  });
});
