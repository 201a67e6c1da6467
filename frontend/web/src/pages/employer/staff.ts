/**
 * Pure logic of 本单位人员 (the employer admin's staff screen): filters, status summaries,
 * the CSV export and the ID-number check of the 聘用邀请 form. Unit-tested in staff.test.ts.
 */
import type {
  CreditGrade,
  EmploymentInvitationStatus,
  PersonFilterInput,
  RegistrationStatus,
  RequirementOutlook,
} from '../../gql/graphql';
import {
  CREDIT_GRADE_LABELS,
  EMPLOYMENT_INVITATION_STATUS_LABELS,
  REGISTRATION_STATUS_LABELS,
  REQUIREMENT_OUTLOOK_LABELS,
} from '../../labels/enums';
import { formatChineseDate as chineseDate, formatHours as hoursText } from '../../education/helpers';

export { chineseDate, hoursText };

// ── labels: the tables are src/labels/enums.ts; colours of the invitation tags ────────

export { EMPLOYMENT_INVITATION_STATUS_LABELS, REGISTRATION_STATUS_LABELS };

export const INVITATION_STATUS_COLORS: Readonly<Record<EmploymentInvitationStatus, string>> = {
  PENDING: 'processing',
  ACCEPTED: 'success',
  CONFIRMED: 'success',
  DECLINED: 'default',
  EXPIRED: 'default',
};

// ── the row as the page sees it ─────────────────────────────────────────────────────

/** The fields of a staff member these functions read (a subset of the query's node). */
export interface StaffRow {
  id: string;
  name: string;
  idNumberMasked: string;
  registration?: {
    status: RegistrationStatus;
    validFrom?: string;
    validUntil: string;
    number?: string | null;
  } | null;
  currentCertificate?: { number: string; validUntil: string } | null;
  hours?: {
    required: number;
    counted: number;
    shortfall: number;
    met: boolean;
    outlook: RequirementOutlook;
    cycleEnd?: string;
  } | null;
  creditGrade?: { grade: CreditGrade } | null;
  currentEmployment?: { id: string; startDate: string } | null;
}

// ── filters ─────────────────────────────────────────────────────────────────────────

export type RegistrationFilter = 'ALL' | 'REGISTERED' | 'UNREGISTERED';
export type HoursFilter = 'ALL' | 'SHORT' | 'MET';

export interface StaffFilters {
  /** 姓名 (prefix) or a full 18-digit 身份证号码 (exact). */
  search: string;
  registration: RegistrationFilter;
  hours: HoursFilter;
}

export const EMPTY_FILTERS: StaffFilters = { search: '', registration: 'ALL', hours: 'ALL' };

export const REGISTRATION_FILTER_OPTIONS: readonly { value: RegistrationFilter; label: string }[] = [
  { value: 'ALL', label: '全部注册状态' },
  { value: 'REGISTERED', label: '已注册（有效）' },
  { value: 'UNREGISTERED', label: '无有效注册' },
];

export const HOURS_FILTER_OPTIONS: readonly { value: HoursFilter; label: string }[] = [
  { value: 'ALL', label: '全部学时情况' },
  { value: 'SHORT', label: '学时不足' },
  { value: 'MET', label: '学时已达标' },
];

const ID_NUMBER_SHAPE = /^\d{17}[\dX]$/;

/**
 * The part of the filters the API takes (PersonFilterInput): a full ID number is looked up
 * exactly (idNumber), any other text is a name prefix (namePrefix). The employer scope is
 * the server's (an employer admin sees only the unit's current staff).
 */
export function toPersonFilter(filters: StaffFilters): PersonFilterInput | null {
  const text = filters.search.trim();
  if (!text) return null;
  const upper = text.toUpperCase();
  if (ID_NUMBER_SHAPE.test(upper)) return { idNumber: upper };
  return { namePrefix: text };
}

/** Whether a filter needs the client (PersonFilterInput has no registration/hours filter). */
export function hasClientFilters(filters: StaffFilters): boolean {
  return filters.registration !== 'ALL' || filters.hours !== 'ALL';
}

/** Registration and hours filters, applied to rows the server returned. */
export function matchesClientFilters(row: StaffRow, filters: StaffFilters): boolean {
  const registered = row.registration?.status === 'ACTIVE';
  if (filters.registration === 'REGISTERED' && !registered) return false;
  if (filters.registration === 'UNREGISTERED' && registered) return false;
  if (filters.hours === 'SHORT' && !(row.hours && !row.hours.met)) return false;
  if (filters.hours === 'MET' && !row.hours?.met) return false;
  return true;
}

// ── status summaries ────────────────────────────────────────────────────────────────

export type Tone = 'success' | 'warning' | 'error' | 'default';

export interface Summary {
  /** The short text of the tag. */
  label: string;
  tone: Tone;
  /** A line under the tag, or ''. */
  detail: string;
}

/** Today's calendar date in Asia/Shanghai, YYYY-MM-DD. */
export function shanghaiToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Days before a validity end within which it is shown as 即将到期. */
export const EXPIRY_WARNING_DAYS = 90;

export function summariseRegistration(row: StaffRow, today: string): Summary {
  const reg = row.registration;
  if (!reg) return { label: '无有效注册', tone: 'default', detail: '' };
  const label = `注册${REGISTRATION_STATUS_LABELS[reg.status]}`;
  if (reg.status !== 'ACTIVE') return { label, tone: 'error', detail: '' };
  const left = daysBetween(today, reg.validUntil);
  if (left < 0) return { label: '注册已过期', tone: 'error', detail: `有效期至${chineseDate(reg.validUntil)}` };
  if (left <= EXPIRY_WARNING_DAYS)
    return { label: '注册即将到期', tone: 'warning', detail: `有效期至${chineseDate(reg.validUntil)}（剩${left}天）` };
  return { label, tone: 'success', detail: `有效期至${chineseDate(reg.validUntil)}` };
}

export function summariseCertificate(row: StaffRow, today: string): Summary {
  const cert = row.currentCertificate;
  if (!cert) return { label: '无有效证书', tone: 'default', detail: '' };
  const left = daysBetween(today, cert.validUntil);
  const detail = `有效期至${chineseDate(cert.validUntil)}`;
  if (left <= EXPIRY_WARNING_DAYS) return { label: cert.number, tone: 'warning', detail: `${detail}（即将到期）` };
  return { label: cert.number, tone: 'success', detail };
}

export function summariseHours(row: StaffRow): Summary {
  const h = row.hours;
  if (!h) return { label: '无注册周期', tone: 'default', detail: '' };
  const progress = `${hoursText(h.counted)}/${hoursText(h.required)} 学时`;
  if (h.met) return { label: '已达标', tone: 'success', detail: progress };
  const tone: Tone = h.outlook === 'AT_RISK' || h.outlook === 'ENDED_SHORT' || h.outlook === 'NO_PROGRESS' ? 'error' : 'warning';
  return {
    label: `差 ${hoursText(h.shortfall)} 学时`,
    tone,
    detail: `${progress} · ${REQUIREMENT_OUTLOOK_LABELS[h.outlook]}`,
  };
}

/** 信用等级 (the employer admin sees the grade, never the score); 暂无 until computed. */
export function gradeText(row: StaffRow): string {
  return row.creditGrade ? CREDIT_GRADE_LABELS[row.creditGrade.grade] : '暂无';
}

// ── CSV export ──────────────────────────────────────────────────────────────────────

/** Byte order mark: Excel reads the file as UTF-8 only with it. */
export const BOM = '\uFEFF';

/**
 * One CSV cell: a text that a spreadsheet would take for a formula (= + - @, also tab
 * and CR at the start) gets a leading ' ; then quoted when it holds a comma, quote or
 * line break, quotes doubled (RFC 4180).
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  if (/[",\r\n]/.test(text)) text = `"${text.replace(/"/g, '""')}"`;
  return text;
}

export const CSV_HEADER = [
  '姓名',
  '身份证号',
  '注册状态',
  '注册有效期至',
  '证书编号',
  '证书有效期至',
  '已完成学时',
  '应完成学时',
  '学时缺口',
  '学时情况',
  '信用等级',
  '聘用开始日期',
] as const;

export function staffCsvRow(row: StaffRow, today: string): string[] {
  const reg = summariseRegistration(row, today);
  const hours = row.hours;
  return [
    row.name,
    row.idNumberMasked,
    reg.label,
    row.registration?.validUntil ?? '',
    row.currentCertificate?.number ?? '',
    row.currentCertificate?.validUntil ?? '',
    hours ? hoursText(hours.counted) : '',
    hours ? hoursText(hours.required) : '',
    hours ? hoursText(hours.shortfall) : '',
    summariseHours(row).label,
    gradeText(row),
    row.currentEmployment?.startDate ?? '',
  ];
}

/** The whole file: BOM, header, one line per row, CRLF line ends. */
export function buildStaffCsv(rows: readonly StaffRow[], today: string): string {
  const lines = [[...CSV_HEADER], ...rows.map((r) => staffCsvRow(r, today))];
  return BOM + lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function csvFileName(today: string): string {
  return `本单位人员_${today.replace(/-/g, '')}.csv`;
}

/**
 * Pages through a connection to the end: `fetchPage(after)` returns one page; stops at
 * `maxPages` (a guard against a server that never ends).
 */
export async function collectAll<T>(
  fetchPage: (after: string | null) => Promise<{ items: T[]; hasNextPage: boolean; endCursor: string | null }>,
  maxPages = 200,
): Promise<T[]> {
  const all: T[] = [];
  let after: string | null = null;
  for (let i = 0; i < maxPages; i += 1) {
    const page = await fetchPage(after);
    all.push(...page.items);
    if (!page.hasNextPage || !page.endCursor) return all;
    after = page.endCursor;
  }
  throw new Error('分页数量超过上限');
}

// ── the 聘用邀请 form ───────────────────────────────────────────────────────────────

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The ID number's problem in words, or null when it is well-formed (GB 11643). */
export function idNumberProblem(value: string): string | null {
  const text = value.trim().toUpperCase();
  if (!text) return '请输入身份证号码';
  if (!ID_NUMBER_SHAPE.test(text)) return '身份证号码应为18位（最后一位可为X）';
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(text[i]), 0);
  if (CHECK[sum % 11] !== text[17]) return '身份证号码校验位不正确';
  const birth = text.slice(6, 14);
  const iso = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) return '身份证号码中的出生日期不正确';
  return null;
}
