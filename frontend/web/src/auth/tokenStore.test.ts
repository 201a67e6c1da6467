import { describe, expect, it, vi } from 'vitest';
import { STORAGE_KEY, createTokenStore, expiresSoon } from './tokenStore';
import { tokenPair } from '../test/fixtures';

describe('token store', () => {
  it('keeps the pair in memory and sessionStorage, and restores it on reload', () => {
    const store = createTokenStore(window.sessionStorage);
    const pair = tokenPair('a');
    store.set({ ...pair, __typename: 'TokenPair' } as typeof pair);
    expect(store.get()).toEqual(pair);
    expect(JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) ?? 'null')).toEqual(pair);
    expect(window.localStorage.getItem(STORAGE_KEY)).toBeNull();

    expect(createTokenStore(window.sessionStorage).get()).toEqual(pair);
  });

  it('clears storage on sign-out and tells subscribers', () => {
    const store = createTokenStore(window.sessionStorage);
    const listener = vi.fn();
    store.subscribe(listener);
    store.set(tokenPair());
    store.set(null);
    expect(listener).toHaveBeenLastCalledWith(null);
    expect(window.sessionStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('ignores and removes a malformed stored value', () => {
    window.sessionStorage.setItem(STORAGE_KEY, '{"accessToken": 1}');
    expect(createTokenStore(window.sessionStorage).get()).toBeNull();
    expect(window.sessionStorage.getItem(STORAGE_KEY)).toBeNull();
    window.sessionStorage.setItem(STORAGE_KEY, 'not json');
    expect(createTokenStore(window.sessionStorage).get()).toBeNull();
  });

  it('works without storage (memory only)', () => {
    const store = createTokenStore(null);
    store.set(tokenPair());
    expect(store.get()?.accessToken).toBe('access-1');
  });

  it('tells when a token expires within the skew', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(expiresSoon('2026-11-28T12:00:20Z', now)).toBe(true);
    expect(expiresSoon('2026-11-28T12:05:00Z', now)).toBe(false);
    expect(expiresSoon('garbage', now)).toBe(true);
  });
});
