/** Pure helpers of 用户管理: the form's values to the API's input, and display texts. */
import type { ReviewScope, Role } from '../../gql/graphql';
import { REVIEW_SCOPE_LABELS } from '../../labels/enums';

export interface UserFormValues {
  username?: string;
  displayName: string;
  password?: string;
  roles: Role[];
  provinceCode?: string;
  reviewScope?: ReviewScope | null;
  personId?: string;
  employerId?: string;
}

export function emptyToNull(value: string | null | undefined): string | null {
  const text = value?.trim() ?? '';
  return text === '' ? null : text;
}

const PROVINCIAL: readonly Role[] = ['PROVINCIAL_REVIEWER', 'ANALYST'];
const UNIT: readonly Role[] = ['EMPLOYER_ADMIN', 'TRAINER'];

/** Roles and the scopes they use; a scope the roles do not use is sent as null (cleared). */
export function accountInput(values: UserFormValues): {
  roles: Role[];
  provinceCode: string | null;
  reviewScope: ReviewScope | null;
  personId: string | null;
  employerId: string | null;
} {
  const roles = values.roles ?? [];
  const has = (list: readonly Role[]) => roles.some((r) => list.includes(r));
  return {
    roles,
    provinceCode: has(PROVINCIAL) ? emptyToNull(values.provinceCode) : null,
    reviewScope: roles.includes('PROVINCIAL_REVIEWER') ? (values.reviewScope ?? null) : null,
    personId: roles.includes('REGISTRANT') ? emptyToNull(values.personId) : null,
    employerId: has(UNIT) ? emptyToNull(values.employerId) : null,
  };
}

interface ScopedUser {
  provinceCode?: string | null;
  reviewScope?: ReviewScope | null;
  person?: { name: string } | null;
  employer?: { name: string } | null;
}

/** 范围 column: province, review queue, person, employer; 全国 when none. */
export function scopeText(user: ScopedUser): string {
  const parts: string[] = [];
  if (user.provinceCode) parts.push(`省份 ${user.provinceCode}`);
  if (user.reviewScope) parts.push(REVIEW_SCOPE_LABELS[user.reviewScope]);
  if (user.employer) parts.push(user.employer.name);
  if (user.person) parts.push(user.person.name);
  return parts.length ? parts.join(' · ') : '—';
}

const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** A UTC timestamp in Beijing time; — when missing. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : TIME.format(date);
}

/** Chinese names of the audit actions shown in 操作记录 (others show their code). */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  LOGIN_SUCCEEDED: '登录成功',
  LOGIN_FAILED: '登录失败',
  REFRESH_TOKEN_REUSED: '登录凭据被重复使用',
  USER_CREATED: '新建用户',
  USER_UPDATED: '修改用户',
  USER_PASSWORD_RESET: '重置密码',
  USER_LOCKED: '停用用户',
  USER_UNLOCKED: '启用用户',
  PASSWORD_CHANGED: '修改密码',
  PERSON_CREATED: '人员登记',
  PERSON_UPDATED: '修改人员信息',
  PERSON_ID_NUMBER_READ: '查看身份证号码',
  PERSON_PHONE_READ: '查看手机号码',
  PERSON_BIRTH_DATE_READ: '查看出生日期',
  EMPLOYER_CREATED: '单位登记',
  EMPLOYER_UPDATED: '修改单位信息',
  DOCUMENT_READ: '下载材料',
  CERTIFICATE_REVOKED: '撤销证书',
};
