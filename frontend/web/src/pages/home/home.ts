/**
 * Pure logic of 工作台 (the home page): what a registrant should do next, how close their
 * hours and registration are to their deadlines, which reviewer cases are urgent and which
 * staff of an employer need attention. Unit-tested in home.test.ts.
 */
import type {
  ApplicationStatus,
  CertificateStatus,
  DeadlineStatus,
  DocumentKind,
  RegistrationStatus,
  RequirementOutlook,
} from '../../gql/graphql';
import { APPLICATION_STATUS_LABELS, DOCUMENT_KIND_LABELS } from '../../labels/enums';
import {
  EXPIRY_WARNING_DAYS,
  chineseDate,
  daysBetween,
  hoursText,
  summariseCertificate,
  summariseHours,
  summariseRegistration,
} from '../employer/staff';
import type { StaffRow, Tone } from '../employer/staff';

export type { Tone };

/** A line of the home page: what it is, how urgent, and where to act. */
export interface Step {
  tone: Tone;
  title: string;
  detail: string;
  /** Where to act, with the link's text; absent when nothing is to be done. */
  link?: { to: string; label: string };
}

// ── 申请 ───────────────────────────────────────────────────────────────────────────

export interface ApplicationLike {
  id: string;
  status: ApplicationStatus;
  missingDocuments: readonly DocumentKind[];
  returnItems: readonly string[];
  dueAt?: string | null;
  createdAt?: string | null;
}

/** Statuses in which an application is still under way (the registrant or a reviewer acts). */
export const OPEN_STATUSES: ReadonlySet<ApplicationStatus> = new Set<ApplicationStatus>([
  'DRAFT',
  'RETURNED_FOR_CORRECTION',
  'SUBMITTED',
  'PRELIMINARY_REVIEW',
  'FINAL_REVIEW',
]);

/**
 * The application the home page is about: the newest still open one, else the newest of
 * all; null without any. `applications` come oldest first (as myApplications returns them).
 */
export function currentApplication<A extends ApplicationLike>(applications: readonly A[]): A | null {
  const newestFirst = [...applications].reverse();
  const byCreated = (a: A, b: A) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '');
  newestFirst.sort(byCreated);
  return newestFirst.find((a) => OPEN_STATUSES.has(a.status)) ?? newestFirst[0] ?? null;
}

/** An ISO date-time as a date and time in Asia/Shanghai: 2026年12月7日 18:00. */
export function shanghaiDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}年${Number(parts.month)}月${Number(parts.day)}日 ${parts.hour}:${parts.minute}`;
}

/** The next step of an application, in the registrant's words. */
export function applicationStep(application: ApplicationLike | null): Step {
  if (!application) {
    return {
      tone: 'default',
      title: '暂无注册申请',
      detail: '符合条件时可在“我的申请”中新建注册申请。',
      link: { to: '/applications', label: '前往我的申请' },
    };
  }
  const to = `/applications/${encodeURIComponent(application.id)}`;
  const status = APPLICATION_STATUS_LABELS[application.status];
  const due = application.dueAt ? `，法定办结时限${shanghaiDateTime(application.dueAt)}` : '';
  switch (application.status) {
    case 'DRAFT': {
      const missing = application.missingDocuments.map((kind) => DOCUMENT_KIND_LABELS[kind]);
      if (missing.length > 0) {
        return {
          tone: 'warning',
          title: `${status}：请上传缺少的材料`,
          detail: `尚缺 ${missing.length} 项：${missing.join('、')}。`,
          link: { to, label: '上传材料' },
        };
      }
      return {
        tone: 'warning',
        title: `${status}：材料已齐，请核对后提交`,
        detail: '提交前请查看提交前检查的结果。',
        link: { to, label: '核对并提交' },
      };
    }
    case 'RETURNED_FOR_CORRECTION': {
      const items = application.returnItems;
      return {
        tone: 'error',
        title: `${status}：请按退回事项补正后重新提交`,
        detail: items.length > 0 ? `补正事项：${items.join('；')}` : '请查看退回理由。',
        link: { to, label: '补正材料' },
      };
    }
    case 'SUBMITTED':
    case 'PRELIMINARY_REVIEW':
      return {
        tone: 'default',
        title: `${status}：等待初审`,
        detail: `无需操作，审核结果将通知您${due}。`,
        link: { to, label: '查看进度' },
      };
    case 'FINAL_REVIEW':
      return {
        tone: 'default',
        title: `${status}：等待终审`,
        detail: `无需操作，审核结果将通知您${due}。`,
        link: { to, label: '查看进度' },
      };
    case 'APPROVED':
    case 'DEEMED_APPROVED':
      return { tone: 'success', title: `最近一次申请：${status}`, detail: '', link: { to, label: '查看申请' } };
    case 'REJECTED':
    case 'WITHDRAWN':
      return {
        tone: 'default',
        title: `最近一次申请：${status}`,
        detail: '如需再次申请，可在“我的申请”中新建。',
        link: { to, label: '查看申请' },
      };
  }
}

// ── 学时 ───────────────────────────────────────────────────────────────────────────

export interface RequirementLike {
  cycleEnd: string;
  required: number;
  counted: number;
  shortfall: number;
  met: boolean;
  outlook: RequirementOutlook;
}

/** The hours of the current cycle: met, or the shortfall and the days left to close it. */
export function hoursStep(requirement: RequirementLike | null | undefined, pendingCount: number, today: string): Step {
  const pending = pendingCount > 0 ? `另有 ${pendingCount} 条个人申报待审核。` : '';
  const link = { to: '/hours', label: '查看我的学时' };
  if (!requirement) {
    return { tone: 'default', title: '暂无继续教育统计周期', detail: `取得有效注册后开始统计学时。${pending}`, link };
  }
  const summary = summariseHours({ id: '', name: '', idNumberMasked: '', hours: requirement });
  const progress = `已计入 ${hoursText(requirement.counted)}/${hoursText(requirement.required)} 学时`;
  if (requirement.met) return { tone: 'success', title: '本周期学时已达标', detail: `${progress}。${pending}`, link };
  const left = daysBetween(today, requirement.cycleEnd);
  const when =
    left < 0
      ? `统计期间已于${chineseDate(requirement.cycleEnd)}结束`
      : `须在${chineseDate(requirement.cycleEnd)}前完成（剩 ${left} 天）`;
  return {
    tone: left < 0 || left <= EXPIRY_WARNING_DAYS ? 'error' : summary.tone,
    title: `学时尚差 ${hoursText(requirement.shortfall)} 学时`,
    detail: `${when}；${progress}。${pending}`,
    link: { to: '/courses', label: '选课学习' },
  };
}

// ── 注册与证书 ─────────────────────────────────────────────────────────────────────

/**
 * Days before expiry from which 延续注册 may be applied for: the backend's default rule
 * (REGSAFE_RENEWAL_OPENS_MONTHS = 12, counted as round(12 × 30.44) days). The API does
 * not expose the configured value; the application's 提交前检查 has the final word.
 */
export const RENEWAL_OPENS_DAYS = 365;

export interface RegistrationLike {
  status: RegistrationStatus;
  validUntil: string;
  number?: string | null;
}

export interface CertificateLike {
  number: string;
  status: CertificateStatus;
  validUntil: string;
}

/** YYYY-MM-DD minus whole days. */
export function minusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** Registration validity: days left, and when 延续注册 opens or whether it is open. */
export function expiryStep(
  registration: RegistrationLike | null | undefined,
  certificates: readonly CertificateLike[],
  today: string,
): Step {
  const certificate = certificates.find((c) => c.status === 'ACTIVE') ?? null;
  const validUntil = registration?.validUntil ?? certificate?.validUntil;
  const number = registration?.number ?? certificate?.number;
  const certLink = { to: '/certificates', label: '查看我的证书' };
  if (!validUntil) {
    return { tone: 'default', title: '暂无有效注册证书', detail: '注册获批后，证书将显示在“我的证书”中。', link: certLink };
  }
  const left = daysBetween(today, validUntil);
  const which = number ? `注册证书 ${number}` : '注册';
  const until = `有效期至${chineseDate(validUntil)}`;
  const renew = { to: '/applications', label: '申请延续注册' };
  if (left < 0) {
    return { tone: 'error', title: `${which}已过期`, detail: `${until}；应申请重新注册。`, link: { to: '/applications', label: '申请重新注册' } };
  }
  const opens = minusDays(validUntil, RENEWAL_OPENS_DAYS);
  if (left <= EXPIRY_WARNING_DAYS) {
    return { tone: 'error', title: `${which}还有 ${left} 天到期`, detail: `${until}；距到期不足3个月，请尽快申请延续注册。`, link: renew };
  }
  if (today >= opens) {
    return { tone: 'warning', title: `${which}还有 ${left} 天到期`, detail: `${until}；已进入延续注册申请期。`, link: renew };
  }
  return {
    tone: 'success',
    title: `${which}有效`,
    detail: `${until}（剩 ${left} 天）；延续注册自${chineseDate(opens)}起可申请。`,
    link: certLink,
  };
}

// ── 审核人员 ───────────────────────────────────────────────────────────────────────

export interface QueueCaseLike {
  id: string;
  dueAt?: string | null;
  deadlineStatus?: DeadlineStatus | null;
}

const URGENCY: Readonly<Record<DeadlineStatus, number>> = { BREACHED: 0, DUE_SOON: 1, ON_TIME: 2 };

/** Most urgent first: breached, then due soon, then by the deadline (none last). */
export function byUrgency<C extends QueueCaseLike>(cases: readonly C[]): C[] {
  return [...cases].sort((a, b) => {
    const rank = (c: C) => (c.deadlineStatus ? URGENCY[c.deadlineStatus] : 3);
    if (rank(a) !== rank(b)) return rank(a) - rank(b);
    return (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff');
  });
}

export function reviewCasePath(id: string): string {
  return `/review/applications/${encodeURIComponent(id)}`;
}

// ── 聘用单位 ───────────────────────────────────────────────────────────────────────

export interface StaffAttention {
  row: StaffRow;
  /** Why: the tag texts of the problems (注册即将到期, 差 8 学时, …). */
  reasons: { label: string; tone: Tone; detail: string }[];
}

/**
 * Staff that need attention: hours short of the requirement, a registration or certificate
 * expiring within 90 days (or expired). The summaries are 本单位人员's own
 * (src/pages/employer/staff.ts), so both screens say the same.
 */
export function staffNeedingAttention(rows: readonly StaffRow[], today: string): StaffAttention[] {
  const out: StaffAttention[] = [];
  for (const row of rows) {
    const reasons: StaffAttention['reasons'] = [];
    const reg = summariseRegistration(row, today);
    if (row.registration && (reg.tone === 'warning' || reg.tone === 'error')) reasons.push(reg);
    const cert = summariseCertificate(row, today);
    // The certificate of a registration already flagged ends with it: said once.
    const sameEnd = reasons.length > 0 && row.currentCertificate?.validUntil === row.registration?.validUntil;
    if (row.currentCertificate && cert.tone === 'warning' && !sameEnd) {
      reasons.push({ ...cert, label: `证书${cert.label}即将到期` });
    }
    if (row.hours && !row.hours.met) reasons.push(summariseHours(row));
    if (reasons.length > 0) out.push({ row, reasons });
  }
  const worst = (a: StaffAttention) => (a.reasons.some((r) => r.tone === 'error') ? 0 : 1);
  return out.sort((a, b) => worst(a) - worst(b) || a.row.name.localeCompare(b.row.name, 'zh-CN'));
}
