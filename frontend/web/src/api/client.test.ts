import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from './client';
import { createTokenStore } from '../auth/tokenStore';
import { TokenCreateDocument, ViewerDocument } from '../gql/graphql';
import { fakeApi } from '../test/fakeApi';
import { tokenPair, viewerData } from '../test/fixtures';

const expired = { errors: [{ message: '登录已过期', extensions: { code: 'TOKEN_EXPIRED' } }], data: null };

function setup(handlers: Parameters<typeof fakeApi>[0], signedIn = true) {
  const api = fakeApi(handlers);
  const tokens = createTokenStore(window.sessionStorage);
  if (signedIn) tokens.set(tokenPair('old'));
  const onSessionEnded = vi.fn();
  const client = createApiClient({ tokens, fetch: api.fetch, onSessionEnded });
  return { api, tokens, onSessionEnded, client };
}

describe('api client', () => {
  it('POSTs every operation, with the bearer token once signed in', async () => {
    const { api, client } = setup({ Viewer: { data: viewerData(['REGISTRANT']) } });
    const result = await client.query(ViewerDocument, {}).toPromise();
    expect(result.data?.viewer.user?.displayName).toBe('陈静');
    expect(api.requests).toEqual([
      expect.objectContaining({ operationName: 'Viewer', method: 'POST', authorization: 'Bearer access-old' }),
    ]);
  });

  it('sends no token with tokenCreate', async () => {
    const { api, client } = setup({
      TokenCreate: { data: { tokenCreate: { token: tokenPair('new'), errors: [] } } },
    });
    await client.mutation(TokenCreateDocument, { username: 'a', password: 'b' }).toPromise();
    expect(api.requests[0]).toMatchObject({ operationName: 'TokenCreate', method: 'POST', authorization: null });
  });

  it('on TOKEN_EXPIRED refreshes once and retries with the new token', async () => {
    const { api, tokens, client, onSessionEnded } = setup({
      Viewer: (req) => (req.authorization === 'Bearer access-new' ? { data: viewerData(['REGISTRANT']) } : expired),
      TokenRefresh: { data: { tokenRefresh: { token: tokenPair('new'), errors: [] } } },
    });
    const result = await client.query(ViewerDocument, {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data?.viewer.user?.username).toBe('chenjing');
    expect(api.names()).toEqual(['Viewer', 'TokenRefresh', 'Viewer']);
    expect(api.requests[1]).toMatchObject({ variables: { refreshToken: 'refresh-old' }, authorization: null });
    expect(tokens.get()?.refreshToken).toBe('refresh-new');
    expect(onSessionEnded).not.toHaveBeenCalled();
  });

  it('ends the session when the refresh is refused', async () => {
    const { api, tokens, client, onSessionEnded } = setup({
      Viewer: expired,
      TokenRefresh: {
        data: {
          tokenRefresh: {
            token: null,
            errors: [{ field: 'refreshToken', code: 'REFRESH_TOKEN_REUSED', message: 'x' }],
          },
        },
      },
    });
    await client.query(ViewerDocument, {}).toPromise();
    expect(api.names()).toEqual(['Viewer', 'TokenRefresh', 'Viewer']);
    expect(tokens.get()).toBeNull();
    expect(onSessionEnded).toHaveBeenCalledWith('expired');
  });

  it('refreshes before sending when the access token is about to expire', async () => {
    const api = fakeApi({
      Viewer: { data: viewerData(['ANALYST']) },
      TokenRefresh: { data: { tokenRefresh: { token: tokenPair('new'), errors: [] } } },
    });
    const tokens = createTokenStore(null);
    tokens.set(tokenPair('old', 5_000));
    const client = createApiClient({ tokens, fetch: api.fetch, onSessionEnded: vi.fn() });
    await client.query(ViewerDocument, {}).toPromise();
    expect(api.names()).toEqual(['TokenRefresh', 'Viewer']);
    expect(api.requests[1]?.authorization).toBe('Bearer access-new');
  });

  it('ends the session at once on TOKEN_REVOKED', async () => {
    const { api, tokens, client, onSessionEnded } = setup({
      Viewer: { errors: [{ message: '已注销', extensions: { code: 'TOKEN_REVOKED' } }], data: null },
    });
    await client.query(ViewerDocument, {}).toPromise();
    expect(api.names()).toEqual(['Viewer']);
    expect(tokens.get()).toBeNull();
    expect(onSessionEnded).toHaveBeenCalledWith('revoked');
  });
});
