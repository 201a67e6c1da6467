import { describe, expect, it } from 'vitest';
import { normalizeCode, sha256Hex } from './sha256';

describe('sha256Hex', () => {
  it('hashes bytes like sha256sum', async () => {
    const bytes = new TextEncoder().encode('abc');
    expect(await sha256Hex(bytes.buffer as ArrayBuffer)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('normalizeCode', () => {
  it('accepts full-width characters, spaces and lower case', () => {
    expect(normalizeCode(' ａｂ２3 cd ')).toBe('AB23CD');
  });
});
