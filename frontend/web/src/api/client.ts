/**
 * The urql client: every operation is a POST to /graphql (same origin as the SPA) with
 * `Authorization: Bearer <access token>` once signed in.
 *
 * Token life cycle (authExchange):
 * - shortly before the access token expires, it is refreshed before the next request;
 * - a result with a top-level error whose extensions.code is UNAUTHENTICATED or
 *   TOKEN_EXPIRED triggers one tokenRefresh and one retry of that operation;
 * - when the refresh fails, or the retry still fails, or the server says the token is
 *   invalid or revoked, the tokens are dropped and `onSessionEnded` is called (the app
 *   then shows the login page).
 */
import { Client, cacheExchange, fetchExchange, getOperationName, mapExchange } from 'urql';
import type { CombinedError, Operation } from 'urql';
import { authExchange } from '@urql/exchange-auth';
import { TokenRefreshDocument } from '../gql/graphql';
import { expiresSoon } from '../auth/tokenStore';
import type { TokenStore } from '../auth/tokenStore';
import { errorCodes } from './errorMessages';

export const GRAPHQL_URL = '/graphql';

/** Codes after which one refresh and one retry are worth trying. */
export const REFRESHABLE_CODES: ReadonlySet<string> = new Set(['UNAUTHENTICATED', 'TOKEN_EXPIRED']);
/** Codes that end the session when they reach the app. */
export const SESSION_ENDING_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'TOKEN_REVOKED',
]);
/** Operations that carry no access token (they take credentials or a refresh token). */
export const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set([
  'TokenCreate',
  'TokenRefresh',
  'TokenRevoke',
]);

export type SessionEndReason = 'expired' | 'revoked';

export interface ApiClientOptions {
  tokens: TokenStore;
  /** Called once the tokens have been dropped because the server no longer accepts them. */
  onSessionEnded: (reason: SessionEndReason) => void;
  url?: string;
  /** Injected in tests; the browser's fetch otherwise. */
  fetch?: typeof fetch;
  /** Clock for the expiry check (ms since the epoch). */
  now?: () => number;
}

function isPublic(operation: Operation): boolean {
  return PUBLIC_OPERATIONS.has(getOperationName(operation.query) ?? '');
}

function hasCode(error: CombinedError, codes: ReadonlySet<string>): boolean {
  return errorCodes(error).some((code) => codes.has(code));
}

export function createApiClient(options: ApiClientOptions): Client {
  const { tokens, onSessionEnded } = options;
  const now = options.now ?? Date.now;

  const endSession = (reason: SessionEndReason): void => {
    if (tokens.get() === null) return; // already signed out
    tokens.set(null);
    onSessionEnded(reason);
  };

  const auth = authExchange(async (utils) => ({
    addAuthToOperation(operation) {
      const pair = tokens.get();
      if (!pair || isPublic(operation)) return operation;
      return utils.appendHeaders(operation, { Authorization: `Bearer ${pair.accessToken}` });
    },
    willAuthError(operation) {
      const pair = tokens.get();
      return !!pair && !isPublic(operation) && expiresSoon(pair.accessTokenExpiresAt, now());
    },
    didAuthError(error, operation) {
      return !isPublic(operation) && hasCode(error, REFRESHABLE_CODES);
    },
    async refreshAuth() {
      const pair = tokens.get();
      if (!pair) return;
      if (expiresSoon(pair.refreshTokenExpiresAt, now(), 0)) {
        endSession('expired');
        return;
      }
      const result = await utils.mutate(TokenRefreshDocument, {
        refreshToken: pair.refreshToken,
      });
      const renewed = result.data?.tokenRefresh.token;
      if (renewed) tokens.set(renewed);
      else endSession('expired');
    },
  }));

  // Outside the auth exchange: sees results after the refresh-and-retry has been tried.
  const sessionGuard = mapExchange({
    onError(error, operation) {
      if (isPublic(operation) || !hasCode(error, SESSION_ENDING_CODES)) return;
      endSession(hasCode(error, new Set(['TOKEN_REVOKED'])) ? 'revoked' : 'expired');
    },
  });

  return new Client({
    url: options.url ?? GRAPHQL_URL,
    exchanges: [cacheExchange, sessionGuard, auth, fetchExchange],
    preferGetMethod: false,
    fetch: options.fetch,
    requestPolicy: 'cache-first',
  });
}
