import { describe, expect, it } from 'vitest';
import type { Location } from 'react-router';
import { returnPath } from './guards';

function at(state: unknown): Location {
  return { pathname: '/login', search: '', hash: '', state, key: 'k' };
}

describe('returnPath', () => {
  it('returns to the page that sent the user to /login', () => {
    expect(returnPath(at({ from: '/me/certificates?tab=1' }))).toBe('/me/certificates?tab=1');
  });

  it('goes home for anything else, including other origins and /login itself', () => {
    expect(returnPath(at(null))).toBe('/');
    expect(returnPath(at({ from: 'https://evil.example/' }))).toBe('/');
    expect(returnPath(at({ from: '//evil.example/' }))).toBe('/');
    expect(returnPath(at({ from: '/login' }))).toBe('/');
    expect(returnPath(at({ from: 42 }))).toBe('/');
  });
});
