import { describe, expect, it } from 'vitest';
import {
  answerLetters,
  bytesToBase64,
  createSequence,
  firstOpenUnit,
  formatChineseDate,
  formatClock,
  formatDuration,
  formatHours,
  formatRate,
  outlookText,
  requirementPercent,
  toggleChoice,
  unitUnlocked,
} from './helpers';

describe('dates and numbers', () => {
  it('writes dates in Chinese without leading zeros', () => {
    expect(formatChineseDate('2027-03-05')).toBe('2027年3月5日');
    expect(formatChineseDate('2026-11-29T08:00:00+00:00')).toBe('2026年11月29日');
    expect(formatChineseDate(null)).toBe('');
  });

  it('formats hours, rates and the ring percentage', () => {
    expect(formatHours(2)).toBe('2');
    expect(formatHours(2.5000001)).toBe('2.5');
    expect(formatRate(0.8333)).toBe('83.3%');
    expect(formatRate(null)).toBe('—');
    expect(requirementPercent(24, 48)).toBe(50);
    expect(requirementPercent(60, 48)).toBe(100);
    expect(requirementPercent(0, 0)).toBe(100);
  });

  it('formats countdowns and durations', () => {
    expect(formatClock(0)).toBe('00:00');
    expect(formatClock(-5)).toBe('00:00');
    expect(formatClock(599)).toBe('09:59');
    expect(formatClock(3725)).toBe('1:02:05');
    expect(formatDuration(4)).toBe('4秒');
    expect(formatDuration(45 * 60)).toBe('45分钟');
    expect(formatDuration(5400)).toBe('1小时30分钟');
    expect(formatDuration(0)).toBe('0秒');
  });
});

describe('outlookText', () => {
  it('states the forecast date in words', () => {
    expect(outlookText({ outlook: 'ON_TRACK', forecastDate: '2027-03-05', cycleEnd: '2028-06-30' })).toBe(
      '按当前进度，预计于2027年3月5日达到要求',
    );
  });

  it('says when the pace misses the cycle', () => {
    const text = outlookText({ outlook: 'AT_RISK', forecastDate: '2030-01-01', cycleEnd: '2028-06-30' });
    expect(text).toContain('预计于2030年1月1日');
    expect(text).toContain('无法在注册有效期内达到要求');
    expect(outlookText({ outlook: 'AT_RISK', forecastDate: null, cycleEnd: '2028-06-30' })).toBe(
      '按当前进度无法在注册有效期内达到要求',
    );
  });

  it('covers met, no progress and an ended cycle', () => {
    expect(outlookText({ outlook: 'MET', cycleEnd: '2028-06-30' })).toContain('已达到');
    expect(outlookText({ outlook: 'NO_PROGRESS', cycleEnd: '2028-06-30' })).toContain('2028年6月30日前');
    expect(outlookText({ outlook: 'ENDED_SHORT', cycleEnd: '2025-06-30' })).toContain('未达到');
  });
});

describe('createSequence', () => {
  it('grows by one per beat from the current second', () => {
    const seq = createSequence(1_790_000_000_500);
    expect(seq.next()).toBe(1_790_000_000);
    expect(seq.next()).toBe(1_790_000_001);
    expect(seq.peek()).toBe(1_790_000_002);
  });

  it('a page loaded later starts above what an earlier page sent at one beat per second', () => {
    const first = createSequence(1_790_000_000_000);
    let last = 0;
    for (let i = 0; i < 30; i += 1) last = first.next(); // 30 beats over ≥ 30 s
    const reloaded = createSequence(1_790_000_030_000);
    expect(reloaded.next()).toBeGreaterThan(last);
  });

  it('skips ahead after OUT_OF_ORDER and stays within a 32-bit Int', () => {
    const seq = createSequence(1_790_000_000_000);
    const before = seq.next();
    seq.skipAhead(1_790_000_000_000);
    const after = seq.next();
    expect(after).toBeGreaterThan(before + 1);
    expect(after).toBeLessThan(2 ** 31);
  });
});

describe('units', () => {
  const units = [
    { id: 'a', kind: 'VIDEO' },
    { id: 'live', kind: 'LIVE' },
    { id: 'b', kind: 'DOCUMENT' },
  ];

  it('opens the first incomplete unit a heartbeat can complete', () => {
    expect(firstOpenUnit(units, new Set())?.id).toBe('a');
    expect(firstOpenUnit(units, new Set(['a']))?.id).toBe('b');
    expect(firstOpenUnit(units, new Set(['a', 'b']))).toBeNull();
  });

  it('locks a unit until the earlier ones are done (live ones never block)', () => {
    expect(unitUnlocked(units, 'a', new Set())).toBe(true);
    expect(unitUnlocked(units, 'b', new Set())).toBe(false);
    expect(unitUnlocked(units, 'b', new Set(['a']))).toBe(true);
    expect(unitUnlocked(units, 'missing', new Set(['a', 'b']))).toBe(false);
  });
});

describe('exam answers', () => {
  it('replaces single answers and toggles multiple ones', () => {
    expect(toggleChoice('SINGLE', [1], 2)).toEqual([2]);
    expect(toggleChoice('TRUE_FALSE', [], 0)).toEqual([0]);
    expect(toggleChoice('MULTIPLE', [3, 0], 1)).toEqual([0, 1, 3]);
    expect(toggleChoice('MULTIPLE', [0, 1], 1, false)).toEqual([0]);
  });

  it('names options by letter', () => {
    expect(answerLetters([0, 2])).toBe('A、C');
    expect(answerLetters(null)).toBe('');
  });

  it('encodes bytes as base64', () => {
    expect(bytesToBase64(new TextEncoder().encode('姓名,学时\n'))).toBe(btoa(unescape(encodeURIComponent('姓名,学时\n'))));
  });
});
