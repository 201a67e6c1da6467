/**
 * Chinese labels of the registration domain. The enum tables live in src/labels/enums.ts
 * (one table per enum); they are re-exported here under their historic names.
 */
export {
  APPLICATION_KIND_LABELS as KIND_LABELS,
  APPLICATION_STATUS_LABELS,
  CHECK_RESULT_LABELS,
  DEADLINE_STATUS_LABELS,
  DOCUMENT_KIND_LABELS,
  EDUCATION_LABELS,
  GENDER_LABELS,
  OCR_STATUS_LABELS,
  SPECIALTY_LABELS,
} from '../labels/enums';

export const DEADLINE_STAGE_LABELS: Readonly<Record<string, string>> = {
  COMPLETENESS: '材料齐全性审查',
  PRELIMINARY: '初审',
  FINAL: '终审',
  ISSUE: '发证',
};

/** OCR field names in Chinese; unknown names are shown as given. */
export const OCR_FIELD_LABELS: Readonly<Record<string, string>> = {
  name: '姓名',
  id_number: '身份证号码',
  gender: '性别',
  birth_date: '出生日期',
  ethnicity: '民族',
  address: '住址',
  level: '学历层次',
  certificate_number: '证书编号',
  management_number: '管理号',
  approval_date: '批准日期',
  exam_year: '考试年度',
  issue_date: '签发日期',
  specialty: '专业类别',
  school: '毕业院校',
  major: '所学专业',
  education: '学历',
  diploma_number: '学历证书编号',
  graduation_date: '毕业日期',
  study_period: '学习期间',
  years: '学制（年）',
  president: '校（院）长',
  degree: '学位',
  issuing_authority: '签发机关',
  valid_period: '有效期限',
};

/** A key's text in a plain-string table (not an enum: see labelOf in src/labels/enums.ts); unknown keys as given. */
export function labelFrom(labels: Readonly<Record<string, string>>, key: string | null | undefined): string {
  if (!key) return '';
  return labels[key] ?? key;
}
