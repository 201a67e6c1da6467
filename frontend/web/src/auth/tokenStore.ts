/**
 * Where the session's tokens live: in memory, mirrored to sessionStorage so a reload of
 * the tab keeps the user signed in (closing the tab ends it). Nothing of the session goes
 * to localStorage or cookies (only the known-device token does, see deviceTokens.ts).
 */

/** The token pair returned by tokenCreate / tokenRefresh. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  /** ISO 8601 (UTC). */
  accessTokenExpiresAt: string;
  /** ISO 8601 (UTC). */
  refreshTokenExpiresAt: string;
}

export interface TokenStore {
  get(): TokenPair | null;
  /** Replace the pair (null signs out); listeners are told synchronously. */
  set(pair: TokenPair | null): void;
  subscribe(listener: (pair: TokenPair | null) => void): () => void;
}

export const STORAGE_KEY = 'regsafe.auth.v1';

const FIELDS = [
  'accessToken',
  'refreshToken',
  'tokenType',
  'accessTokenExpiresAt',
  'refreshTokenExpiresAt',
] as const;

function isTokenPair(value: unknown): value is TokenPair {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return FIELDS.every((f) => typeof record[f] === 'string' && record[f] !== '');
}

/** Keep only the known fields (a payload may carry __typename). */
function normalize(pair: TokenPair): TokenPair {
  return {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    tokenType: pair.tokenType,
    accessTokenExpiresAt: pair.accessTokenExpiresAt,
    refreshTokenExpiresAt: pair.refreshTokenExpiresAt,
  };
}

function sessionStorageOrNull(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.sessionStorage : null;
  } catch {
    return null; // storage disabled: memory only
  }
}

export function createTokenStore(
  storage: Storage | null = sessionStorageOrNull(),
  key: string = STORAGE_KEY,
): TokenStore {
  let current: TokenPair | null = null;
  const listeners = new Set<(pair: TokenPair | null) => void>();

  if (storage) {
    try {
      const raw = storage.getItem(key);
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      if (isTokenPair(parsed)) current = normalize(parsed);
      else if (raw !== null) storage.removeItem(key);
    } catch {
      storage.removeItem(key);
    }
  }

  return {
    get: () => current,
    set(pair) {
      current = pair ? normalize(pair) : null;
      try {
        if (current) storage?.setItem(key, JSON.stringify(current));
        else storage?.removeItem(key);
      } catch {
        // quota or privacy mode: memory still holds the session
      }
      for (const listener of [...listeners]) listener(current);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** True when the token expires within `skewMs` of `now` (or its expiry is unreadable). */
export function expiresSoon(isoTime: string, now: number, skewMs = 30_000): boolean {
  const at = Date.parse(isoTime);
  return Number.isNaN(at) || at - skewMs <= now;
}
