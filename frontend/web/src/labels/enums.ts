/**
 * The one place where the API's enum values get their Chinese names.
 *
 * Every enum of schema.graphql that can reach a person's eyes has exactly one table
 * here, typed with the generated enum type, so tsc fails on a missing key and
 * `enums.test.ts` fails when the schema gains a value this file does not name. The old
 * per-domain label modules (src/registration/labels.ts, src/certificates/labels.ts, …)
 * re-export these tables under their historic names.
 *
 * Values that arrive as plain strings (OCR field values, comparison values, history
 * actions, verification results) go through `labelOf` and the helpers below, which fall
 * back to the value itself so nothing is ever hidden.
 */
import type {
  ApplicationKind,
  ApplicationStatus,
  AttemptStatus,
  CertificateKind,
  CertificatePdfStatus,
  CertificateStatus,
  CertificateVerificationStatus,
  CheckResult,
  CourseStatus,
  CreditEventKind,
  CreditEventStatus,
  CreditFactor,
  CreditGrade,
  CreditSourceKind,
  DeadlineStatus,
  DisputeStatus,
  DocumentKind,
  DocumentMediaType,
  Education,
  EmploymentInvitationStatus,
  EnrolmentStatus,
  Gender,
  HourSource,
  HourStatus,
  OcrStatus,
  PracticeKind,
  PracticeRecordStatus,
  QuestionKind,
  RegistrationStatus,
  RequirementOutlook,
  ReviewDecision,
  ReviewScope,
  ReviewStage,
  Role,
  Specialty,
  SubjectKind,
  TranscriptStatus,
  UnitKind,
  UploadPurpose,
  UploadSlotStatus,
  UploadStatus,
} from '../gql/graphql';

type Labels<E extends string> = Readonly<Record<E, string>>;

// No operation uses these two enums yet, so codegen (onlyOperationTypes) does not emit
// them; spelled out here from schema.graphql, and enums.test.ts keeps them in step.
type EmployerKind = 'PRODUCTION_UNIT' | 'SERVICE_AGENCY';
type IdentityStatus = 'PENDING' | 'VERIFIED' | 'FAILED';

// --- 注册申请 ------------------------------------------------------------------------

export const APPLICATION_KIND_LABELS: Labels<ApplicationKind> = {
  INITIAL: '初始注册',
  RENEWAL: '延续注册',
  CHANGE: '变更注册',
  REREGISTER: '重新注册',
  LATE_INITIAL: '逾期初始注册',
  CANCELLATION: '注销注册',
  REISSUE: '补证',
};

export const APPLICATION_STATUS_LABELS: Labels<ApplicationStatus> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交，待初审',
  PRELIMINARY_REVIEW: '初审中',
  RETURNED_FOR_CORRECTION: '退回补正',
  FINAL_REVIEW: '终审中',
  APPROVED: '准予注册',
  REJECTED: '不予注册',
  WITHDRAWN: '已撤回',
  DEEMED_APPROVED: '视为准予延续注册',
};

export const SPECIALTY_LABELS: Labels<Specialty> = {
  COAL_MINE: '煤矿安全',
  METAL_NONMETAL_MINE: '金属非金属矿山安全',
  CHEMICAL: '化工安全',
  METAL_SMELTING: '金属冶炼安全',
  CONSTRUCTION: '建筑施工安全',
  ROAD_TRANSPORT: '道路运输安全',
  OTHER: '其他安全（不包括消防安全）',
};

export const EDUCATION_LABELS: Labels<Education> = {
  DOCTORATE: '博士研究生',
  MASTER: '硕士研究生',
  BACHELOR: '大学本科',
  JUNIOR_COLLEGE: '大学专科',
  SECONDARY: '中专',
};

export const GENDER_LABELS: Labels<Gender> = { MALE: '男', FEMALE: '女' };

export const DOCUMENT_KIND_LABELS: Labels<DocumentKind> = {
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

export const DOCUMENT_MEDIA_TYPE_LABELS: Labels<DocumentMediaType> = {
  JPEG: 'JPEG 图片',
  PNG: 'PNG 图片',
  PDF: 'PDF 文件',
};

export const OCR_STATUS_LABELS: Labels<OcrStatus> = {
  NOT_APPLICABLE: '无需识别',
  PENDING: '识别中',
  DONE: '已识别',
  FAILED: '识别失败',
};

export const CHECK_RESULT_LABELS: Labels<CheckResult> = {
  PASS: '通过',
  FAIL: '不通过',
  WARN: '提示',
  UNAVAILABLE: '无法核验',
};

export const DEADLINE_STATUS_LABELS: Labels<DeadlineStatus> = {
  ON_TIME: '未到期',
  DUE_SOON: '即将到期',
  BREACHED: '已超时',
};

export const REVIEW_DECISION_LABELS: Labels<ReviewDecision> = {
  RETURN: '退回补正',
  PASS: '初审通过',
  APPROVE: '准予注册',
  REJECT: '不予注册',
};

export const REVIEW_SCOPE_LABELS: Labels<ReviewScope> = {
  PROVINCE: '省级应急管理部门',
  MOHURD: '住房和城乡建设部',
  MOT: '交通运输部',
};

export const REVIEW_STAGE_LABELS: Labels<ReviewStage> = {
  PRELIMINARY: '初审',
  FINAL: '终审',
};

export const REGISTRATION_STATUS_LABELS: Labels<RegistrationStatus> = {
  ACTIVE: '有效',
  SUPERSEDED: '已被新注册取代',
  EXPIRED: '已过期',
  CANCELLED: '已注销',
};

// --- 人员、单位与账号 ----------------------------------------------------------------

export const ROLE_LABELS: Labels<Role> = {
  REGISTRANT: '注册人员',
  EMPLOYER_ADMIN: '单位管理员',
  PROVINCIAL_REVIEWER: '省级初审',
  MINISTRY_REVIEWER: '部级终审',
  TRAINER: '培训机构',
  ANALYST: '统计分析',
  ADMIN: '系统管理员',
};

export const EMPLOYER_KIND_LABELS: Labels<EmployerKind> = {
  PRODUCTION_UNIT: '生产经营单位',
  SERVICE_AGENCY: '安全生产专业服务机构',
};

export const EMPLOYMENT_INVITATION_STATUS_LABELS: Labels<EmploymentInvitationStatus> = {
  PENDING: '待本人接受',
  ACCEPTED: '本人已接受，聘用已开始',
  CONFIRMED: '审核人员已代为确认，聘用已开始',
  DECLINED: '已拒绝',
  EXPIRED: '已过期',
};

export const IDENTITY_STATUS_LABELS: Labels<IdentityStatus> = {
  PENDING: '待核验',
  VERIFIED: '已核验',
  FAILED: '核验未通过',
};

// --- 证书 ----------------------------------------------------------------------------

export const CERTIFICATE_STATUS_LABELS: Labels<CertificateStatus> = {
  ACTIVE: '有效',
  SUPERSEDED: '已被取代',
  EXPIRED: '已过期',
  REVOKED: '已撤销',
  CANCELLED: '已注销',
};

export const CERTIFICATE_PDF_STATUS_LABELS: Labels<CertificatePdfStatus> = {
  PENDING: '生成中',
  READY: '已生成',
  FAILED: '生成失败',
};

export const CERTIFICATE_KIND_LABELS: Labels<CertificateKind> = {
  ISSUED: '首次签发',
  RENEWED: '延续注册',
  CHANGED: '变更注册',
  REISSUED: '补证',
};

export const VERIFICATION_STATUS_LABELS: Labels<CertificateVerificationStatus> = {
  VALID: '有效',
  EXPIRED: '已过期',
  REVOKED: '已撤销',
  CANCELLED: '已注销',
  SUPERSEDED: '已被新证书取代',
  UNKNOWN: '未找到该证书编号',
  TAMPERED: '证书内容被篡改或签名无效',
};

// --- 继续教育 ------------------------------------------------------------------------

export const SUBJECT_KIND_LABELS: Labels<SubjectKind> = {
  GENERAL: '公需科目',
  PROFESSIONAL: '专业科目',
};

export const UNIT_KIND_LABELS: Labels<UnitKind> = {
  VIDEO: '视频',
  DOCUMENT: '文档',
  LIVE: '直播',
};

export const COURSE_STATUS_LABELS: Labels<CourseStatus> = {
  DRAFT: '草稿',
  PUBLISHED: '已发布',
  CLOSED: '已结课',
};

export const ENROLMENT_STATUS_LABELS: Labels<EnrolmentStatus> = {
  ENROLLED: '学习中',
  COMPLETED: '已结业',
};

export const ATTEMPT_STATUS_LABELS: Labels<AttemptStatus> = {
  IN_PROGRESS: '答题中',
  SUBMITTED: '已交卷',
  EXPIRED: '超时交卷',
};

export const QUESTION_KIND_LABELS: Labels<QuestionKind> = {
  SINGLE: '单选题',
  MULTIPLE: '多选题',
  TRUE_FALSE: '判断题',
};

export const HOUR_SOURCE_LABELS: Labels<HourSource> = {
  COURSE: '平台课程',
  EXTERNAL: '外部导入',
  SELF_REPORTED: '个人申报',
};

export const HOUR_STATUS_LABELS: Labels<HourStatus> = {
  ACCEPTED: '已认定',
  PENDING: '待审核',
  REJECTED: '不予认可',
};

export const TRANSCRIPT_STATUS_LABELS: Labels<TranscriptStatus> = {
  PENDING: '生成中',
  READY: '已生成',
  FAILED: '生成失败',
};

export const REQUIREMENT_OUTLOOK_LABELS: Labels<RequirementOutlook> = {
  MET: '已达到要求',
  ON_TRACK: '可按期达到要求',
  AT_RISK: '有不能按期达到要求的风险',
  NO_PROGRESS: '尚无计入学时',
  ENDED_SHORT: '周期结束时未达到要求',
};

// --- 执业与信用 ----------------------------------------------------------------------

export const PRACTICE_KIND_LABELS: Labels<PracticeKind> = {
  HAZARD_INVESTIGATION: '隐患排查',
  ACCIDENT_INVESTIGATION: '事故调查',
  RISK_ASSESSMENT: '风险评估',
  SAFETY_EVALUATION: '安全评价',
  EMERGENCY_DRILL: '应急演练',
  SAFETY_TRAINING: '安全培训',
  OTHER: '其他',
};

export const PRACTICE_RECORD_STATUS_LABELS: Labels<PracticeRecordStatus> = {
  DRAFT: '草稿',
  SUBMITTED: '待确认',
  CONFIRMED: '已确认',
  REJECTED: '已退回',
};

export const CREDIT_EVENT_KIND_LABELS: Labels<CreditEventKind> = {
  COMMENDATION: '表彰奖励',
  AWARD: '获奖',
  ADMINISTRATIVE_PENALTY: '行政处罚',
  FALSE_REPORT: '出具虚假报告',
  CERTIFICATE_LENDING: '挂证/挂靠',
  MISSED_EDUCATION: '未完成继续教育',
  COMPLAINT_UPHELD: '投诉属实',
};

export const CREDIT_EVENT_STATUS_LABELS: Labels<CreditEventStatus> = {
  ACTIVE: '有效',
  WITHDRAWN: '已撤回',
};

export const DISPUTE_STATUS_LABELS: Labels<DisputeStatus> = {
  OPEN: '处理中',
  UPHELD: '异议成立',
  REJECTED: '异议不成立',
};

export const CREDIT_FACTOR_LABELS: Labels<CreditFactor> = {
  BASE: '基础分',
  EVALUATION: '执业评价',
  ACTIVITY: '执业活动',
  EDUCATION: '继续教育',
  EVENT: '信用事件',
};

export const CREDIT_SOURCE_KIND_LABELS: Labels<CreditSourceKind> = {
  BASE: '基础分',
  PRACTICE_RECORD: '执业记录',
  EVALUATION: '执业评价',
  CREDIT_EVENT: '信用事件',
  REGISTRATION: '注册周期继续教育',
};

export const CREDIT_GRADE_LABELS: Labels<CreditGrade> = {
  A: 'A 级',
  B: 'B 级',
  C: 'C 级',
  D: 'D 级',
};

// --- 上传 ----------------------------------------------------------------------------

export const UPLOAD_PURPOSE_LABELS: Labels<UploadPurpose> = {
  APPLICATION_DOCUMENT: '申请材料',
  COURSE_MATERIAL: '课程资料',
  HOURS_EVIDENCE: '学时证明',
  PRACTICE_EVIDENCE: '执业证明材料',
  CREDIT_EVIDENCE: '信用事件证明材料',
};

export const UPLOAD_SLOT_STATUS_LABELS: Labels<UploadSlotStatus> = {
  PENDING: '等待上传',
  CONFIRMED: '已确认',
  REFUSED: '未通过检查',
  EXPIRED: '已过期',
  USED: '已使用',
};

export const UPLOAD_STATUS_LABELS: Labels<UploadStatus> = {
  UPLOADING: '上传中',
  CONFIRMED: '已上传',
  EXPIRED: '上传已过期',
  REMOVED: '已删除',
};

/** Every table above, by the enum's name in schema.graphql. */
export const ENUM_LABELS = {
  ApplicationKind: APPLICATION_KIND_LABELS,
  ApplicationStatus: APPLICATION_STATUS_LABELS,
  AttemptStatus: ATTEMPT_STATUS_LABELS,
  CertificateKind: CERTIFICATE_KIND_LABELS,
  CertificatePdfStatus: CERTIFICATE_PDF_STATUS_LABELS,
  CertificateStatus: CERTIFICATE_STATUS_LABELS,
  CertificateVerificationStatus: VERIFICATION_STATUS_LABELS,
  CheckResult: CHECK_RESULT_LABELS,
  CourseStatus: COURSE_STATUS_LABELS,
  CreditEventKind: CREDIT_EVENT_KIND_LABELS,
  CreditEventStatus: CREDIT_EVENT_STATUS_LABELS,
  CreditFactor: CREDIT_FACTOR_LABELS,
  CreditGrade: CREDIT_GRADE_LABELS,
  CreditSourceKind: CREDIT_SOURCE_KIND_LABELS,
  DeadlineStatus: DEADLINE_STATUS_LABELS,
  DisputeStatus: DISPUTE_STATUS_LABELS,
  DocumentKind: DOCUMENT_KIND_LABELS,
  DocumentMediaType: DOCUMENT_MEDIA_TYPE_LABELS,
  Education: EDUCATION_LABELS,
  EmployerKind: EMPLOYER_KIND_LABELS,
  EmploymentInvitationStatus: EMPLOYMENT_INVITATION_STATUS_LABELS,
  EnrolmentStatus: ENROLMENT_STATUS_LABELS,
  Gender: GENDER_LABELS,
  HourSource: HOUR_SOURCE_LABELS,
  HourStatus: HOUR_STATUS_LABELS,
  IdentityStatus: IDENTITY_STATUS_LABELS,
  OcrStatus: OCR_STATUS_LABELS,
  PracticeKind: PRACTICE_KIND_LABELS,
  PracticeRecordStatus: PRACTICE_RECORD_STATUS_LABELS,
  QuestionKind: QUESTION_KIND_LABELS,
  RegistrationStatus: REGISTRATION_STATUS_LABELS,
  RequirementOutlook: REQUIREMENT_OUTLOOK_LABELS,
  ReviewDecision: REVIEW_DECISION_LABELS,
  ReviewScope: REVIEW_SCOPE_LABELS,
  ReviewStage: REVIEW_STAGE_LABELS,
  Role: ROLE_LABELS,
  Specialty: SPECIALTY_LABELS,
  SubjectKind: SUBJECT_KIND_LABELS,
  TranscriptStatus: TRANSCRIPT_STATUS_LABELS,
  UnitKind: UNIT_KIND_LABELS,
  UploadPurpose: UPLOAD_PURPOSE_LABELS,
  UploadSlotStatus: UPLOAD_SLOT_STATUS_LABELS,
  UploadStatus: UPLOAD_STATUS_LABELS,
} as const;

export type LabelledEnum = keyof typeof ENUM_LABELS;

/**
 * The Chinese name of an enum value that arrives as a plain string (an OCR field value,
 * a comparison value). Unknown values, null and '' come back as given ('' for null).
 */
export function labelOf(enumName: LabelledEnum, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const table = ENUM_LABELS[enumName] as Readonly<Record<string, string>>;
  return Object.prototype.hasOwnProperty.call(table, value) ? (table[value] ?? value) : value;
}

// --- Plain-string codes outside the schema's enums ------------------------------------

/** ApplicationEvent.action (registration/rules.py Action, plus CREATE and CLAIM_FINAL). */
export const APPLICATION_ACTION_LABELS: Readonly<Record<string, string>> = {
  CREATE: '创建申请',
  SUBMIT: '提交申请',
  WITHDRAW: '撤回申请',
  START_PRELIMINARY: '开始初审',
  CLAIM_FINAL: '领取终审',
  RETURN: '退回补正',
  PASS_PRELIMINARY: '初审通过',
  APPROVE: '准予注册',
  REJECT: '不予注册',
  DEEM_APPROVED: '逾期未决，视为准予延续注册',
};

export function applicationActionLabel(action: string): string {
  return APPLICATION_ACTION_LABELS[action] ?? action;
}

/** Application.verifications[].check */
export const VERIFICATION_CHECK_LABELS: Readonly<Record<string, string>> = {
  IDENTITY: '身份核验',
  DEGREE: '学历核验',
};

/** Application.verifications[].status */
export const IDENTITY_CHECK_STATUS_LABELS: Readonly<Record<string, string>> = {
  VERIFIED: '已核验',
  MISMATCH: '不一致',
  UNVERIFIED: '未核验',
};

/**
 * Application.verifications[].source as a sentence: "local" (checked offline, on this
 * server) or "http:<host>" (the named verification service answered).
 */
export function verificationSourceText(source: string | null | undefined): string {
  if (!source) return '—';
  if (source === 'local') return '本地校验（仅核对号码格式与校验位，未联网核查）';
  const host = source.startsWith('http:') || source.startsWith('https:') ? source.replace(/^https?:(\/\/)?/, '') : source;
  return `由联网核查服务（${host}）核验`;
}

/** HourRecord.ruleVersion as a sentence. */
export const RULE_VERSION_LABELS: Readonly<Record<string, string>> = {
  'hours-v1': '按平台课程学时认定规则（第 1 版）认定',
  'import-v1': '按外部学时导入规则（第 1 版）认定',
  'self-report-v1': '按个人申报学时审核规则（第 1 版）认定',
};

export function ruleVersionText(version: string | null | undefined): string {
  if (!version) return '—';
  const known = RULE_VERSION_LABELS[version];
  if (known) return known;
  const match = /^(.+)-v(\d+)$/.exec(version);
  return match ? `按认定规则“${match[1]}”（第 ${match[2]} 版）认定` : `按认定规则“${version}”认定`;
}

/** CreditScore.modelVersion ("credit-v1") as words. */
export function modelVersionText(version: string | null | undefined): string {
  if (!version) return '—';
  const match = /^credit-v(\d+)$/.exec(version);
  return match ? `信用评分模型第 ${match[1]} 版` : `信用评分模型“${version}”`;
}

/** Which enum an OCR field's value belongs to, by the field's name. */
const OCR_FIELD_ENUMS: Readonly<Record<string, LabelledEnum>> = {
  gender: 'Gender',
  specialty: 'Specialty',
  education: 'Education',
  level: 'Education',
};

/** The enum whose codes an OCR field holds (gender → Gender), if any. */
export function ocrFieldEnum(field: string): LabelledEnum | undefined {
  return OCR_FIELD_ENUMS[field];
}

/** [{ value: code, label: 中文 }] of an enum, for a Select. */
export function enumOptions(enumName: LabelledEnum): { value: string; label: string }[] {
  return Object.entries(ENUM_LABELS[enumName] as Readonly<Record<string, string>>).map(([value, label]) => ({ value, label }));
}

/** An OCR field value (or a comparison value) for people: MALE → 男, METAL_SMELTING → 金属冶炼安全. */
export function ocrValueLabel(field: string, value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const enumName = OCR_FIELD_ENUMS[field];
  return enumName ? labelOf(enumName, value) : value;
}
