import { describe, expect, it } from 'vitest';
import { removalOpen } from './MyBlacklistCard';

describe('removalOpen', () => {
  const entry = { current: true, removalOpensOn: '2026-06-01', removalRequestedAt: null };
  it('opens on the policy date, once, while the listing is current', () => {
    expect(removalOpen(entry, '2026-05-31')).toBe(false);
    expect(removalOpen(entry, '2026-06-01')).toBe(true);
    expect(removalOpen({ ...entry, removalRequestedAt: '2026-06-02T00:00:00Z' }, '2026-07-01')).toBe(false);
    expect(removalOpen({ ...entry, current: false }, '2026-07-01')).toBe(false);
  });
});
