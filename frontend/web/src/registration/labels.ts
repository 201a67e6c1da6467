/** Chinese labels of the registration enums. */
import type {
  ApplicationKind,
  CheckResult,
  DeadlineStatus,
  DocumentKind,
  Education,
  OcrStatus,
  Specialty,
} from '../gql/graphql';

export const KIND_LABELS: Readonly<Record<ApplicationKind, string>> = {
  INITIAL: '初始注册',
  RENEWAL: '延续注册',
  CHANGE: '变更注册',
  REREGISTER: '重新注册',
  LATE_INITIAL: '逾期初始注册',
  CANCELLATION: '注销注册',
  REISSUE: '补证',
};

export const SPECIALTY_LABELS: Readonly<Record<Specialty, string>> = {
  COAL_MINE: '煤矿安全',
  METAL_NONMETAL_MINE: '金属非金属矿山安全',
  CHEMICAL: '化工安全',
  METAL_SMELTING: '金属冶炼安全',
  CONSTRUCTION: '建筑施工安全',
  ROAD_TRANSPORT: '道路运输安全',
  OTHER: '其他安全（不包括消防安全）',
};

export const EDUCATION_LABELS: Readonly<Record<Education, string>> = {
  DOCTORATE: '博士研究生',
  MASTER: '硕士研究生',
  BACHELOR: '大学本科',
  JUNIOR_COLLEGE: '大学专科',
  SECONDARY: '中专',
};

export const DOCUMENT_KIND_LABELS: Readonly<Record<DocumentKind, string>> = {
  APPLICATION_FORM: '注册申请表',
  ID_CARD: '身份证',
  QUALIFICATION_CERTIFICATE: '资格证书',
  DIPLOMA: '学历证书',
  LABOUR_CONTRACT: '劳动合同',
  PREVIOUS_REGISTRATION: '原注册证书',
  PERFORMANCE_CERTIFICATE: '执业业绩证明',
  EDUCATION_PROOF: '继续教育证明',
  CONTRACT_TERMINATION: '解除劳动合同证明',
  LOSS_STATEMENT: '遗失声明',
};

export const OCR_STATUS_LABELS: Readonly<Record<OcrStatus, string>> = {
  NOT_APPLICABLE: '无需识别',
  PENDING: '识别中',
  DONE: '已识别',
  FAILED: '识别失败',
};

export const CHECK_RESULT_LABELS: Readonly<Record<CheckResult, string>> = {
  PASS: '通过',
  FAIL: '不通过',
  WARN: '提示',
  UNAVAILABLE: '无法核验',
};

export const DEADLINE_STATUS_LABELS: Readonly<Record<DeadlineStatus, string>> = {
  ON_TIME: '未到期',
  DUE_SOON: '即将到期',
  BREACHED: '已超时',
};

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

export function labelOf(labels: Readonly<Record<string, string>>, key: string | null | undefined): string {
  if (!key) return '';
  return labels[key] ?? key;
}
