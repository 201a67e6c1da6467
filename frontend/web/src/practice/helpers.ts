/**
 * Pure helpers of the practice and credit pages: form values → API input, the provincial
 * colour of a grade, evaluation dimension averages, the contributions joined to their
 * sources (dated, described, linked), and the ECharts options built from API data.
 */
import type { ChartOption } from '../components/Chart';
import type {
  CreditFactor,
  CreditGrade,
  CreditSourceKind,
  PracticeKind,
  PracticeRecordInput,
} from '../gql/graphql';
import { CREDIT_FACTOR_LABELS, CREDIT_SOURCE_KIND_LABELS, DIMENSIONS, DIMENSION_LABELS } from './labels';
import type { Dimension } from './labels';
import { labelOf } from '../labels/enums';

// --- 执业记录 form ----------------------------------------------------------------------

/** The create/edit form's values (dates as YYYY-MM-DD strings from the pickers). */
export interface RecordFormValues {
  kind: PracticeKind;
  project: string;
  role: string;
  startedOn: string;
  endedOn: string;
  hazardsFound?: number | null;
  hazardsRectified?: number | null;
  description?: string;
  clientName?: string;
  clientCreditCode?: string;
}

export const RECORD_FORM_FIELDS = [
  'kind',
  'project',
  'role',
  'startedOn',
  'endedOn',
  'hazardsFound',
  'hazardsRectified',
  'description',
  'clientName',
  'clientCreditCode',
  'projectLeadId',
  'employerId',
] as const;

const blankToNull = (value: string | null | undefined): string | null => {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
};

/** The API input of the form's values: trimmed, empty optional texts as null. */
export function recordInput(values: RecordFormValues): PracticeRecordInput {
  const code = blankToNull(values.clientCreditCode);
  return {
    kind: values.kind,
    project: values.project.trim(),
    role: values.role.trim(),
    startedOn: values.startedOn,
    endedOn: values.endedOn,
    description: (values.description ?? '').trim(),
    hazardsFound: values.hazardsFound ?? null,
    hazardsRectified: values.hazardsRectified ?? null,
    clientName: blankToNull(values.clientName),
    clientCreditCode: code ? code.toUpperCase() : null,
  };
}

/** 1.2 MB / 350 KB / 12 B. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

// --- 信用等级 and colours ---------------------------------------------------------------

/** The policy's default grade → provincial colour (the API sends the configured one). */
export const DEFAULT_PROVINCIAL_COLOURS: Readonly<Record<CreditGrade, string>> = {
  A: '蓝',
  B: '黄',
  C: '橙',
  D: '红',
};

/** Display colours (hex) of the provincial colour names. */
const COLOUR_HEX: Readonly<Record<string, string>> = {
  蓝: '#1677ff',
  黄: '#d4b106',
  橙: '#fa8c16',
  红: '#f5222d',
  绿: '#52c41a',
};

/** The hex colour of a provincial colour name (蓝/黄/橙/红); grey for an unknown one. */
export function colourHex(colour: string | null | undefined): string {
  return (colour && COLOUR_HEX[colour.trim()]) || '#8c8c8c';
}

/** The provincial colour of a grade: the API's value when given, else the default policy. */
export function gradeColour(grade: CreditGrade, provincialColour?: string | null): { name: string; hex: string } {
  const name = provincialColour?.trim() || DEFAULT_PROVINCIAL_COLOURS[grade];
  return { name, hex: colourHex(name) };
}

/** +12.5 / −3 / 0: signed, at most one decimal. */
export function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return '0';
  const text = Number.isInteger(rounded) ? String(Math.abs(rounded)) : Math.abs(rounded).toFixed(1);
  return rounded > 0 ? `+${text}` : `−${text}`;
}

// --- 评价维度 ----------------------------------------------------------------------------

export type DimensionScores = Readonly<Record<Dimension, number>>;

/** The mean of each dimension over these evaluations (null when there are none). */
export function dimensionAverages(evaluations: readonly DimensionScores[]): Record<Dimension, number> | null {
  if (evaluations.length === 0) return null;
  const sums = { quality: 0, timeliness: 0, compliance: 0, conduct: 0 };
  for (const e of evaluations) for (const d of DIMENSIONS) sums[d] += e[d];
  const out = { ...sums };
  for (const d of DIMENSIONS) out[d] = Math.round((sums[d] / evaluations.length) * 100) / 100;
  return out;
}

/** The latest version of each record's evaluation (the one that counts). */
export function latestVersions<E extends { recordId: string; versionNo: number }>(evaluations: readonly E[]): E[] {
  const byRecord = new Map<string, E>();
  for (const e of evaluations) {
    const seen = byRecord.get(e.recordId);
    if (!seen || e.versionNo > seen.versionNo) byRecord.set(e.recordId, e);
  }
  return [...byRecord.values()];
}

/** ECharts radar of the four dimensions (1–5). */
export function radarOption(averages: Readonly<Record<Dimension, number>>, name = '评价维度平均分'): ChartOption {
  return {
    tooltip: { trigger: 'item' },
    radar: {
      indicator: DIMENSIONS.map((d) => ({ name: DIMENSION_LABELS[d], min: 0, max: 5 })),
      radius: '65%',
      splitNumber: 5,
    },
    series: [
      {
        type: 'radar',
        name,
        areaStyle: { opacity: 0.25 },
        data: [{ name, value: DIMENSIONS.map((d) => averages[d]) }],
      },
    ],
  };
}

// --- 评分构成 (contributions joined to their sources) ----------------------------------

export interface ContributionLike {
  factor: CreditFactor;
  points: number;
  source: { kind: CreditSourceKind; id: string | null; description: string };
}

/** What a contribution's source can be looked up in: dates and texts by global ID. */
export interface SourceIndex {
  records: ReadonlyMap<string, { date: string; title: string }>;
  evaluations: ReadonlyMap<string, { date: string; recordId: string; title: string }>;
  events: ReadonlyMap<string, { date: string; title: string }>;
}

export interface ContributionRow {
  key: string;
  factor: CreditFactor;
  factorLabel: string;
  points: number;
  sourceKind: CreditSourceKind;
  sourceLabel: string;
  sourceId: string | null;
  /** What it is: the record's or event's title, else the server's explanation. */
  title: string;
  /** The server's explanation of the points. */
  description: string;
  /** YYYY-MM-DD: when the source happened (null for the base and education). */
  date: string | null;
  /** Where the source is shown in the SPA. */
  href: string | null;
}

/** Every contribution with its source's date, title and link, in the order given. */
export function contributionRows(contributions: readonly ContributionLike[], index: SourceIndex): ContributionRow[] {
  return contributions.map((c, i) => {
    const id = c.source.id;
    let date: string | null = null;
    const description = contributionDescription(c.source.description);
    let title = description;
    let href: string | null = null;
    if (id && c.source.kind === 'PRACTICE_RECORD') {
      const r = index.records.get(id);
      date = r?.date ?? null;
      title = r?.title ?? title;
      href = `/practice?record=${encodeURIComponent(id)}`;
    } else if (id && c.source.kind === 'EVALUATION') {
      const e = index.evaluations.get(id);
      date = e?.date ?? null;
      title = e?.title ?? title;
      href = e ? `/practice?record=${encodeURIComponent(e.recordId)}` : null;
    } else if (id && c.source.kind === 'CREDIT_EVENT') {
      const e = index.events.get(id);
      date = e?.date ?? null;
      title = e?.title ?? title;
      href = `/credit#event-${encodeURIComponent(id)}`;
    } else if (c.source.kind === 'REGISTRATION') {
      href = '/hours';
    }
    return {
      key: `${c.factor}:${id ?? 'base'}:${i}`,
      factor: c.factor,
      factorLabel: CREDIT_FACTOR_LABELS[c.factor],
      points: c.points,
      sourceKind: c.source.kind,
      sourceLabel: CREDIT_SOURCE_KIND_LABELS[c.source.kind],
      sourceId: id,
      title,
      description,
      date,
      href,
    };
  });
}

/**
 * The server's explanation of a contribution, for people: a credit event's part reads
 * "COMMENDATION（时间衰减后80%）" (practice/rules.py), so a leading enum code becomes its
 * Chinese name, "表彰奖励（时间衰减后80%）".
 */
export function contributionDescription(description: string): string {
  return description.replace(/^([A-Z][A-Z_]*)(?=（|\(|$)/, (code) => labelOf('CreditEventKind', code));
}

/** The sum of the contributions per factor (every factor present, 0 when none). */
export function factorTotals(contributions: readonly ContributionLike[]): Record<CreditFactor, number> {
  const totals: Record<CreditFactor, number> = { BASE: 0, EVALUATION: 0, ACTIVITY: 0, EDUCATION: 0, EVENT: 0 };
  for (const c of contributions) totals[c.factor] += c.points;
  return totals;
}

const FACTOR_ORDER: readonly CreditFactor[] = ['EVALUATION', 'ACTIVITY', 'EDUCATION', 'EVENT'];

/**
 * ECharts timeline of the dated contributions: one scatter series per factor (points by
 * the date of their source; the tooltip names the source). Undated ones (base, education)
 * are left out: the table lists them.
 */
export function contributionTimelineOption(rows: readonly ContributionRow[]): ChartOption {
  const dated = rows.filter((r) => r.date !== null).sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
  const factors = FACTOR_ORDER.filter((f) => dated.some((r) => r.factor === f));
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { data: [string, number, string] }) => `${p.data[0]}<br/>${p.data[2]}：${formatPoints(p.data[1])} 分`,
    },
    legend: { data: factors.map((f) => CREDIT_FACTOR_LABELS[f]) },
    grid: { left: 48, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: '分值' },
    series: factors.map((f) => ({
      type: 'scatter',
      name: CREDIT_FACTOR_LABELS[f],
      symbolSize: 12,
      data: dated.filter((r) => r.factor === f).map((r) => [r.date, Math.round(r.points * 10) / 10, r.title]),
      markLine: { silent: true, symbol: 'none', data: [{ yAxis: 0 }], lineStyle: { color: '#bfbfbf' } },
    })),
  };
}

export interface HistoryPoint {
  value: number;
  grade: CreditGrade;
  computedAt: string;
}

/** ECharts line of the score over time (history comes newest first; drawn oldest first). */
export function historyOption(history: readonly HistoryPoint[]): ChartOption {
  const points = [...history].sort((a, b) => a.computedAt.localeCompare(b.computedAt));
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 24, top: 24, bottom: 32 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', min: 0, max: 1000, name: '信用分' },
    series: [
      {
        type: 'line',
        name: '信用分',
        step: 'end',
        symbolSize: 8,
        data: points.map((p) => [p.computedAt, p.value]),
        markLine: {
          silent: true,
          symbol: 'none',
          label: { formatter: '{b}' },
          data: [
            { name: 'A', yAxis: 800 },
            { name: 'B', yAxis: 650 },
            { name: 'C', yAxis: 450 },
          ],
        },
      },
    ],
  };
}
