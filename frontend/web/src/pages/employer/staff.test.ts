import { describe, expect, it } from 'vitest';
import {
  BOM,
  buildStaffCsv,
  collectAll,
  csvCell,
  csvFileName,
  daysBetween,
  hasClientFilters,
  idNumberProblem,
  matchesClientFilters,
  shanghaiToday,
  summariseCertificate,
  summariseHours,
  summariseRegistration,
  toPersonFilter,
} from './staff';
import type { StaffRow } from './staff';

const TODAY = '2026-12-04';

const engineer: StaffRow = {
  id: 'UGVyc29uOjE=',
  name: '梁志强',
  idNumberMasked: '440604********4137',
  registration: { status: 'ACTIVE', validFrom: '2025-12-01', validUntil: '2030-11-30', number: '44202500001' },
  currentCertificate: { number: '44202500001', validUntil: '2030-11-30' },
  hours: { required: 120, counted: 32.5, shortfall: 87.5, met: false, outlook: 'ON_TRACK', cycleEnd: '2030-11-30' },
  creditGrade: { grade: 'B' },
  currentEmployment: { id: 'RW1wbG95bWVudDox', startDate: '2024-03-01' },
};

const unregistered: StaffRow = {
  id: 'UGVyc29uOjI=',
  name: '=HYPERLINK("http://x")',
  idNumberMasked: '440305********1358',
  registration: null,
  currentCertificate: null,
  hours: null,
  creditGrade: null,
  currentEmployment: { id: 'RW1wbG95bWVudDoy', startDate: '2026-01-05' },
};

const done: StaffRow = {
  ...engineer,
  id: 'UGVyc29uOjM=',
  hours: { required: 120, counted: 124, shortfall: 0, met: true, outlook: 'MET' },
};

describe('toPersonFilter', () => {
  it('sends nothing for an empty search', () => {
    expect(toPersonFilter({ search: '  ', registration: 'ALL', hours: 'ALL' })).toBeNull();
  });
  it('looks up a full ID number exactly, upper-casing the x', () => {
    expect(toPersonFilter({ search: ' 44030519860412135x ', registration: 'ALL', hours: 'ALL' })).toEqual({
      idNumber: '44030519860412135X',
    });
  });
  it('takes any other text as a name prefix', () => {
    expect(toPersonFilter({ search: '梁', registration: 'REGISTERED', hours: 'SHORT' })).toEqual({ namePrefix: '梁' });
    expect(toPersonFilter({ search: '4403', registration: 'ALL', hours: 'ALL' })).toEqual({ namePrefix: '4403' });
  });
});

describe('client-side filters', () => {
  it('are needed only for registration or hours', () => {
    expect(hasClientFilters({ search: '梁', registration: 'ALL', hours: 'ALL' })).toBe(false);
    expect(hasClientFilters({ search: '', registration: 'UNREGISTERED', hours: 'ALL' })).toBe(true);
    expect(hasClientFilters({ search: '', registration: 'ALL', hours: 'SHORT' })).toBe(true);
  });
  it('match registration status', () => {
    const registered = { search: '', registration: 'REGISTERED', hours: 'ALL' } as const;
    const none = { search: '', registration: 'UNREGISTERED', hours: 'ALL' } as const;
    expect([engineer, unregistered].filter((r) => matchesClientFilters(r, registered))).toEqual([engineer]);
    expect([engineer, unregistered].filter((r) => matchesClientFilters(r, none))).toEqual([unregistered]);
  });
  it('match a shortfall only where a cycle exists', () => {
    const short = { search: '', registration: 'ALL', hours: 'SHORT' } as const;
    const met = { search: '', registration: 'ALL', hours: 'MET' } as const;
    expect([engineer, unregistered, done].filter((r) => matchesClientFilters(r, short))).toEqual([engineer]);
    expect([engineer, unregistered, done].filter((r) => matchesClientFilters(r, met))).toEqual([done]);
  });
});

describe('summaries', () => {
  it('registration: valid, expiring, none', () => {
    expect(summariseRegistration(engineer, TODAY)).toEqual({
      label: '注册有效',
      tone: 'success',
      detail: '有效期至2030年11月30日',
    });
    const soon = { ...engineer, registration: { status: 'ACTIVE' as const, validUntil: '2027-01-03' } };
    expect(summariseRegistration(soon, TODAY)).toMatchObject({ label: '注册即将到期', tone: 'warning' });
    expect(summariseRegistration(soon, TODAY).detail).toContain('剩30天');
    expect(summariseRegistration(unregistered, TODAY)).toEqual({ label: '无有效注册', tone: 'default', detail: '' });
  });
  it('certificate: number and expiry', () => {
    expect(summariseCertificate(engineer, TODAY)).toEqual({
      label: '44202500001',
      tone: 'success',
      detail: '有效期至2030年11月30日',
    });
    expect(summariseCertificate(unregistered, TODAY).label).toBe('无有效证书');
  });
  it('hours: completed/required and the shortfall, in words', () => {
    expect(summariseHours(engineer)).toEqual({
      label: '差 87.5 学时',
      tone: 'warning',
      detail: '32.5/120 学时 · 可按期达到要求',
    });
    expect(summariseHours({ ...engineer, hours: { ...engineer.hours!, outlook: 'AT_RISK' } }).tone).toBe('error');
    expect(summariseHours(done)).toEqual({ label: '已达标', tone: 'success', detail: '124/120 学时' });
    expect(summariseHours(unregistered).label).toBe('无注册周期');
  });
  it('never shows a raw enum code', () => {
    const texts = [engineer, unregistered, done].flatMap((r) => [
      summariseRegistration(r, TODAY),
      summariseCertificate(r, TODAY),
      summariseHours(r),
    ]);
    for (const s of texts) expect(`${s.label} ${s.detail}`).not.toMatch(/ACTIVE|ON_TRACK|MET\b|AT_RISK/);
  });
});

describe('dates', () => {
  it('today is the Shanghai calendar day', () => {
    // 2026-12-03 17:30 UTC is already 12月4日 in Shanghai.
    expect(shanghaiToday(new Date('2026-12-03T17:30:00Z'))).toBe('2026-12-04');
    expect(shanghaiToday(new Date('2026-12-03T15:59:00Z'))).toBe('2026-12-03');
  });
  it('counts whole days', () => {
    expect(daysBetween('2026-12-04', '2027-01-03')).toBe(30);
    expect(daysBetween('2026-12-04', '2026-12-01')).toBe(-3);
  });
});

describe('CSV', () => {
  it('neutralises formulas and quotes what needs quoting', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('+86')).toBe("'+86");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1,2')).toBe('"\'=1,2"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12.5)).toBe('12.5');
  });
  it('builds a BOM-prefixed file with a header and one CRLF line per person', () => {
    const csv = buildStaffCsv([engineer, unregistered], TODAY);
    expect(csv.startsWith(BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(4); // header, two rows, and the empty string after the last CRLF
    expect(lines[0]).toBe(
      '姓名,身份证号,注册状态,注册有效期至,证书编号,证书有效期至,已完成学时,应完成学时,学时缺口,学时情况,信用等级,聘用开始日期',
    );
    expect(lines[1]).toBe(
      '梁志强,440604********4137,注册有效,2030-11-30,44202500001,2030-11-30,32.5,120,87.5,差 87.5 学时,B 级,2024-03-01',
    );
    expect(lines[2]).toBe('"\'=HYPERLINK(""http://x"")",440305********1358,无有效注册,,,,,,,无注册周期,暂无,2026-01-05');
    expect(lines[3]).toBe('');
  });
  it('names the file by the day', () => {
    expect(csvFileName(TODAY)).toBe('本单位人员_20261204.csv');
  });
});

describe('collectAll', () => {
  it('follows the cursors to the last page', async () => {
    const pages: Record<string, { items: number[]; hasNextPage: boolean; endCursor: string | null }> = {
      start: { items: [1, 2], hasNextPage: true, endCursor: 'a' },
      a: { items: [3], hasNextPage: true, endCursor: 'b' },
      b: { items: [4], hasNextPage: false, endCursor: 'c' },
    };
    const seen: (string | null)[] = [];
    const all = await collectAll(async (after) => {
      seen.push(after);
      return pages[after ?? 'start']!;
    });
    expect(all).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual([null, 'a', 'b']);
  });
  it('stops a connection that never ends', async () => {
    await expect(collectAll(async () => ({ items: [1], hasNextPage: true, endCursor: 'x' }), 3)).rejects.toThrow();
  });
});

describe('idNumberProblem', () => {
  it('accepts a well-formed number', () => {
    expect(idNumberProblem('440305198604121353')).toBeNull();
    expect(idNumberProblem('11010519491231002x')).toBeNull();
  });
  it('says what is wrong', () => {
    expect(idNumberProblem('')).toBe('请输入身份证号码');
    expect(idNumberProblem('4403051986')).toBe('身份证号码应为18位（最后一位可为X）');
    expect(idNumberProblem('440305198604121358')).toBe('身份证号码校验位不正确');
    expect(idNumberProblem('440305198602301350')).toBe('身份证号码中的出生日期不正确');
  });
});
