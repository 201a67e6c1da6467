/** Pure helpers of the registration screens (unit-tested in helpers.test.ts). */
import dayjs from 'dayjs';
import type { CheckResult, DeadlineStatus, Education, OcrStatus } from '../gql/graphql';
import { EDUCATION_LABELS } from './labels';

/** antd Tag colour of a statutory-clock status: red when breached, orange when due soon. */
export function deadlineColor(status: DeadlineStatus | null | undefined): string | undefined {
  if (status === 'BREACHED') return 'red';
  if (status === 'DUE_SOON') return 'orange';
  return undefined;
}

export function checkColor(result: CheckResult): string {
  switch (result) {
    case 'PASS':
      return 'green';
    case 'FAIL':
      return 'red';
    case 'WARN':
      return 'orange';
    default:
      return 'default';
  }
}

export function ocrStatusColor(status: OcrStatus): string {
  switch (status) {
    case 'DONE':
      return 'green';
    case 'FAILED':
      return 'red';
    case 'PENDING':
      return 'processing';
    default:
      return 'default';
  }
}

/**
 * A date as OCR or a person writes it ("2024-10-20", "2024/10/20", "2024.10.20",
 * "2024年10月20日", "20241020") → "2024-10-20"; null when it is not a date.
 */
export function normalizeDate(text: string | null | undefined): string | null {
  if (!text) return null;
  const trimmed = text.trim();
  const match =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(trimmed) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(trimmed);
  if (!match) return null;
  const [, y, m, d] = match;
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface NamedValue {
  name: string;
  value: string;
}

/** The field values of a document: the registrant's confirmation wins over what OCR read. */
export function documentValues(
  ocrFields: readonly NamedValue[],
  confirmedFields: readonly NamedValue[],
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of ocrFields) values[field.name] = field.value;
  for (const field of confirmedFields) values[field.name] = field.value;
  return values;
}

export interface ApplicationFormValues {
  qualificationNumber?: string;
  qualificationDate?: string;
  education?: Education;
  school?: string;
  major?: string;
  diplomaNumber?: string;
  identityNote?: string;
}

/** The stored form as form values (empty strings and unknown educations dropped). */
export function formValuesFromStored(form: {
  qualificationNumber?: string | null;
  qualificationDate?: string | null;
  education?: string | null;
  school?: string | null;
  major?: string | null;
  diplomaNumber?: string | null;
  identityNote?: string | null;
}): ApplicationFormValues {
  const values: ApplicationFormValues = {};
  if (form.qualificationNumber) values.qualificationNumber = form.qualificationNumber;
  if (form.qualificationDate) values.qualificationDate = form.qualificationDate;
  if (form.education && form.education in EDUCATION_LABELS) values.education = form.education as Education;
  if (form.school) values.school = form.school;
  if (form.major) values.major = form.major;
  if (form.diplomaNumber) values.diplomaNumber = form.diplomaNumber;
  if (form.identityNote) values.identityNote = form.identityNote;
  return values;
}

/**
 * Fill the empty fields of the 申请表 from the qualification certificate's fields
 * (certificate_number → qualificationNumber, issue_date → qualificationDate); fields the
 * registrant already filled are kept.
 */
export function prefillFromCertificate(
  values: ApplicationFormValues,
  certificate: Readonly<Record<string, string>> | null,
): ApplicationFormValues {
  if (!certificate) return values;
  const next = { ...values };
  const number = certificate['certificate_number']?.trim();
  if (!next.qualificationNumber && number) next.qualificationNumber = number;
  const date = normalizeDate(certificate['issue_date']);
  if (!next.qualificationDate && date) next.qualificationDate = date;
  return next;
}

/** The form values as ApplicationFormInput (blank → null). */
export function formInput(values: ApplicationFormValues) {
  const blank = (text: string | undefined) => (text && text.trim() ? text.trim() : null);
  return {
    qualificationNumber: blank(values.qualificationNumber),
    qualificationDate: blank(values.qualificationDate),
    education: values.education ?? null,
    school: blank(values.school),
    major: blank(values.major),
    diplomaNumber: blank(values.diplomaNumber),
    identityNote: blank(values.identityNote),
  };
}

/** The latest live document of each kind (uploads that expired or were removed are skipped). */
export function latestByKind<T extends { kind: string; status: string }>(documents: readonly T[]): Map<string, T> {
  const byKind = new Map<string, T>();
  for (const document of documents) {
    if (document.status === 'EXPIRED' || document.status === 'REMOVED') continue;
    byKind.set(document.kind, document);
  }
  return byKind;
}

/** Whether the page should keep polling: some confirmed document still waits for OCR. */
export function ocrPending(documents: readonly { status: string; ocrStatus: OcrStatus }[]): boolean {
  return documents.some((document) => document.status === 'CONFIRMED' && document.ocrStatus === 'PENDING');
}

/** The return items of a 退回补正 modal, trimmed, blanks dropped. */
export function cleanItems(items: readonly (string | null | undefined)[] | undefined): string[] {
  return (items ?? []).map((item) => (item ?? '').trim()).filter((item) => item.length > 0);
}

/** "12345" bytes → "12.1 KB". */
export function formatSize(bytes: number | null | undefined): string {
  if (bytes == null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** An ISO date-time → "2026-11-29 13:05" (local time); "" for null. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const date = dayjs(value);
  return date.isValid() ? date.format('YYYY-MM-DD HH:mm') : value;
}
