import { describe, expect, it } from 'vitest';
import {
  colourHex,
  contributionDescription,
  contributionRows,
  contributionTimelineOption,
  dimensionAverages,
  factorTotals,
  formatBytes,
  formatPoints,
  gradeColour,
  historyOption,
  latestVersions,
  radarOption,
  recordInput,
} from './helpers';
import type { ContributionLike, SourceIndex } from './helpers';
import { CREDIT_EVENT_KIND_LABELS, PRACTICE_KIND_LABELS, PRACTICE_ERROR_MESSAGES } from './labels';

const CONTRIBUTIONS: ContributionLike[] = [
  { factor: 'BASE', points: 600, source: { kind: 'BASE', id: null, description: '基础分' } },
  { factor: 'EVALUATION', points: 200, source: { kind: 'EVALUATION', id: 'RXZhbDox', description: '评价平均5分' } },
  { factor: 'ACTIVITY', points: 9.5163, source: { kind: 'PRACTICE_RECORD', id: 'UmVjOjE=', description: '已确认执业记录' } },
  { factor: 'EDUCATION', points: 0, source: { kind: 'REGISTRATION', id: 'UmVnOjE=', description: '继续教育完成0%' } },
  { factor: 'EVENT', points: -75, source: { kind: 'CREDIT_EVENT', id: 'RXY6MQ==', description: '行政处罚，衰减后' } },
];

const INDEX: SourceIndex = {
  records: new Map([['UmVjOjE=', { date: '2026-11-20', title: '隐患排查：储罐区' }]]),
  evaluations: new Map([['RXZhbDox', { date: '2026-11-29', recordId: 'UmVjOjE=', title: '隐患排查：储罐区（第1版评价）' }]]),
  events: new Map([['RXY6MQ==', { date: '2023-05-01', title: '行政处罚：粤应急罚〔2023〕1号' }]]),
};

describe('labels', () => {
  it('has a Chinese label for every practice kind and event kind', () => {
    expect(PRACTICE_KIND_LABELS.HAZARD_INVESTIGATION).toBe('隐患排查');
    expect(PRACTICE_KIND_LABELS.OTHER).toBe('其他');
    expect(Object.values(PRACTICE_KIND_LABELS)).toHaveLength(7);
    expect(Object.values(CREDIT_EVENT_KIND_LABELS)).toHaveLength(7);
    expect(PRACTICE_ERROR_MESSAGES.SELF_EVALUATION).toMatch(/本人/);
  });
});

describe('contributionDescription', () => {
  it('names a leading credit-event code in Chinese and leaves other texts alone', () => {
    expect(contributionDescription('COMMENDATION（时间衰减后80%）')).toBe('表彰奖励（时间衰减后80%）');
    expect(contributionDescription('FALSE_REPORT')).toBe('出具虚假报告');
    expect(contributionDescription('继续教育完成50%')).toBe('继续教育完成50%');
  });

  it('is applied to the rows', () => {
    const rows = contributionRows(
      [{ factor: 'EVENT', points: 48, source: { kind: 'CREDIT_EVENT', id: null, description: 'COMMENDATION（时间衰减后80%）' } }],
      INDEX,
    );
    expect(rows[0]?.description).toBe('表彰奖励（时间衰减后80%）');
    expect(rows[0]?.title).toBe('表彰奖励（时间衰减后80%）');
  });
});

describe('recordInput', () => {
  it('trims texts, turns empty optional ones into null and upper-cases the credit code', () => {
    expect(
      recordInput({
        kind: 'HAZARD_INVESTIGATION',
        project: ' 储罐区 ',
        role: '组长 ',
        startedOn: '2026-11-01',
        endedOn: '2026-11-20',
        hazardsFound: 5,
        hazardsRectified: undefined,
        clientName: '  ',
        clientCreditCode: '91440300ma5xxxxx0x',
      }),
    ).toEqual({
      kind: 'HAZARD_INVESTIGATION',
      project: '储罐区',
      role: '组长',
      startedOn: '2026-11-01',
      endedOn: '2026-11-20',
      description: '',
      hazardsFound: 5,
      hazardsRectified: null,
      clientName: null,
      clientCreditCode: '91440300MA5XXXXX0X',
    });
  });
});

describe('grade colours', () => {
  it('maps grades to the provincial colours by default and honours the API value', () => {
    expect(gradeColour('A')).toEqual({ name: '蓝', hex: '#1677ff' });
    expect(gradeColour('B').name).toBe('黄');
    expect(gradeColour('C').name).toBe('橙');
    expect(gradeColour('D')).toEqual({ name: '红', hex: '#f5222d' });
    expect(gradeColour('A', '绿')).toEqual({ name: '绿', hex: '#52c41a' });
    expect(colourHex('紫')).toBe('#8c8c8c');
  });
});

describe('formatting', () => {
  it('signs points with at most one decimal', () => {
    expect(formatPoints(200)).toBe('+200');
    expect(formatPoints(9.5163)).toBe('+9.5');
    expect(formatPoints(-75)).toBe('−75');
    expect(formatPoints(0.01)).toBe('0');
  });
  it('formats sizes', () => {
    expect(formatBytes(12)).toBe('12 B');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});

describe('evaluation dimensions', () => {
  it('averages each dimension over the latest versions only', () => {
    const evaluations = [
      { recordId: 'r1', versionNo: 1, quality: 1, timeliness: 1, compliance: 1, conduct: 1 },
      { recordId: 'r1', versionNo: 2, quality: 5, timeliness: 4, compliance: 5, conduct: 5 },
      { recordId: 'r2', versionNo: 1, quality: 4, timeliness: 4, compliance: 3, conduct: 5 },
    ];
    const latest = latestVersions(evaluations);
    expect(latest.map((e) => e.versionNo).sort()).toEqual([1, 2]);
    expect(dimensionAverages(latest)).toEqual({ quality: 4.5, timeliness: 4, compliance: 4, conduct: 5 });
    expect(dimensionAverages([])).toBeNull();
  });

  it('builds a radar with the four dimensions on a 0–5 scale', () => {
    const option = radarOption({ quality: 5, timeliness: 4, compliance: 3, conduct: 2 }) as {
      radar: { indicator: { name: string; max: number }[] };
      series: { type: string; data: { value: number[] }[] }[];
    };
    expect(option.radar.indicator.map((i) => i.name)).toEqual(['工作质量', '及时性', '合规性', '职业操守']);
    expect(option.radar.indicator.every((i) => i.max === 5)).toBe(true);
    expect(option.series[0]?.type).toBe('radar');
    expect(option.series[0]?.data[0]?.value).toEqual([5, 4, 3, 2]);
  });
});

describe('contributions', () => {
  const rows = contributionRows(CONTRIBUTIONS, INDEX);

  it('dates, titles and links every contribution to its source', () => {
    expect(rows.map((r) => [r.factorLabel, r.date, r.href])).toEqual([
      ['基础分', null, null],
      ['执业评价', '2026-11-29', '/practice?record=UmVjOjE%3D'],
      ['执业活动', '2026-11-20', '/practice?record=UmVjOjE%3D'],
      ['继续教育', null, '/hours'],
      ['信用事件', '2023-05-01', '/credit#event-RXY6MQ%3D%3D'],
    ]);
    expect(rows[1]?.title).toBe('隐患排查：储罐区（第1版评价）');
    expect(rows[1]?.description).toBe('评价平均5分');
  });

  it('falls back to the server explanation when the source is not loaded', () => {
    const [row] = contributionRows([CONTRIBUTIONS[1] as ContributionLike], {
      records: new Map(),
      evaluations: new Map(),
      events: new Map(),
    });
    expect(row?.title).toBe('评价平均5分');
    expect(row?.date).toBeNull();
    expect(row?.href).toBeNull();
  });

  it('sums by factor', () => {
    const totals = factorTotals(CONTRIBUTIONS);
    expect(totals).toMatchObject({ BASE: 600, EVALUATION: 200, EDUCATION: 0, EVENT: -75 });
    expect(totals.ACTIVITY).toBeCloseTo(9.5163);
  });

  it('plots dated contributions as one scatter series per factor, oldest first', () => {
    const option = contributionTimelineOption(rows) as {
      legend: { data: string[] };
      series: { type: string; name: string; data: [string, number, string][] }[];
    };
    expect(option.legend.data).toEqual(['执业评价', '执业活动', '信用事件']);
    expect(option.series.every((s) => s.type === 'scatter')).toBe(true);
    expect(option.series.find((s) => s.name === '执业活动')?.data).toEqual([['2026-11-20', 9.5, '隐患排查：储罐区']]);
    expect(option.series.flatMap((s) => s.data).some((d) => d[2] === '基础分')).toBe(false);
  });
});

describe('historyOption', () => {
  it('draws the history oldest first on a 0–1000 axis with the grade floors', () => {
    const option = historyOption([
      { value: 810, grade: 'A', computedAt: '2026-11-29T03:00:00Z' },
      { value: 600, grade: 'C', computedAt: '2026-11-28T03:00:00Z' },
    ]) as {
      yAxis: { min: number; max: number };
      series: { type: string; data: [string, number][]; markLine: { data: { yAxis: number }[] } }[];
    };
    expect(option.yAxis).toMatchObject({ min: 0, max: 1000 });
    expect(option.series[0]?.data.map((d) => d[1])).toEqual([600, 810]);
    expect(option.series[0]?.markLine.data.map((d) => d.yAxis)).toEqual([800, 650, 450]);
  });
});
