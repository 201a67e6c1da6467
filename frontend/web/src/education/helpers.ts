/** Pure helpers of the continuing-education screens (unit-tested in helpers.test.ts). */
import type { RequirementOutlook } from '../gql/graphql';

/** "2027-03-05" (or an ISO date-time) → "2027年3月5日"; '' for nothing. */
export function formatChineseDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return iso;
  const [, y, m, d] = match;
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** Hours as people write them: 2, 2.5 (never 2.50000001). */
export function formatHours(hours: number): string {
  return String(Math.round(hours * 10) / 10);
}

/** A countdown or a duration in seconds → "mm:ss", or "h:mm:ss" from an hour on. */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A unit's length in words: "45分钟", "1小时30分钟", "4秒". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts: string[] = [];
  if (h) parts.push(`${h}小时`);
  if (m) parts.push(`${m}分钟`);
  if (sec || parts.length === 0) parts.push(`${sec}秒`);
  return parts.join('');
}

/** A rate 0–1 as a percentage with one decimal ("83.3%"); "—" for none. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  return `${Math.round(rate * 1000) / 10}%`;
}

/** The progress ring's percentage of counted over required, 0–100. */
export function requirementPercent(counted: number, required: number): number {
  if (required <= 0) return 100;
  return Math.max(0, Math.min(100, Math.round((counted / required) * 100)));
}

export interface OutlookInput {
  outlook: RequirementOutlook;
  forecastDate?: string | null;
  cycleEnd: string;
}

/** The forecast in words, as the 我的学时 page states it. */
export function outlookText({ outlook, forecastDate, cycleEnd }: OutlookInput): string {
  switch (outlook) {
    case 'MET':
      return '已达到本注册周期的继续教育要求';
    case 'ON_TRACK':
      return forecastDate
        ? `按当前进度，预计于${formatChineseDate(forecastDate)}达到要求`
        : '按当前进度，可在注册有效期内达到要求';
    case 'AT_RISK':
      return forecastDate
        ? `按当前进度，预计于${formatChineseDate(forecastDate)}才能达到要求，晚于注册有效期截止日${formatChineseDate(cycleEnd)}，无法在注册有效期内达到要求`
        : '按当前进度无法在注册有效期内达到要求';
    case 'NO_PROGRESS':
      return `尚无计入学时，无法预测；请在${formatChineseDate(cycleEnd)}前完成要求学时`;
    case 'ENDED_SHORT':
      return '本注册周期已结束，未达到继续教育要求';
    default:
      return '';
  }
}

/**
 * Heartbeat sequence numbers: strictly growing by one per beat, starting from the
 * current Unix second so that a reloaded page (or a second page) still sends numbers
 * larger than any earlier page did, because an earlier page sent at most one beat per
 * second. Fits GraphQL's 32-bit Int until 2038.
 */
export interface SequenceGenerator {
  next(): number;
  /** After OUT_OF_ORDER: jump past whatever the server saw (the current second, at least). */
  skipAhead(nowMs?: number): void;
  peek(): number;
}

export function createSequence(nowMs: number = Date.now()): SequenceGenerator {
  let last = Math.floor(nowMs / 1000) - 1;
  return {
    next() {
      last += 1;
      return last;
    },
    skipAhead(now = Date.now()) {
      last = Math.max(last + 100, Math.floor(now / 1000));
    },
    peek() {
      return last + 1;
    },
  };
}

export interface UnitLike {
  id: string;
  kind: string;
}

/**
 * The unit the player opens: the first unit not yet completed that a heartbeat can
 * complete (live units are completed by recorded attendance and never block the next
 * unit); null when all are done.
 */
export function firstOpenUnit<U extends UnitLike>(units: readonly U[], completed: ReadonlySet<string>): U | null {
  return units.find((u) => u.kind !== 'LIVE' && !completed.has(u.id)) ?? null;
}

/** Whether a unit may be played: every earlier non-live unit completed. */
export function unitUnlocked<U extends UnitLike>(units: readonly U[], unitId: string, completed: ReadonlySet<string>): boolean {
  for (const u of units) {
    if (u.id === unitId) return true;
    if (u.kind !== 'LIVE' && !completed.has(u.id)) return false;
  }
  return false;
}

/** Toggle a choice: single-answer kinds replace, multiple-answer kinds add or remove (sorted). */
export function toggleChoice(kind: string, chosen: readonly number[], option: number, checked = true): number[] {
  if (kind !== 'MULTIPLE') return [option];
  const set = new Set(chosen);
  if (checked) set.add(option);
  else set.delete(option);
  return [...set].sort((a, b) => a - b);
}

/** Option letters: 0 → A. TRUE_FALSE options are shown as their text. */
export function optionLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

/** "A、C" for [0, 2]. */
export function answerLetters(answer: readonly number[] | null | undefined): string {
  return (answer ?? []).map(optionLetter).join('、');
}

/** A browser file as base64 (no data: prefix) for hoursImport. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
