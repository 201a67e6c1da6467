/**
 * Colours, points and error texts of the practice and credit enums. Their labels live in
 * src/labels/enums.ts (one table per enum) and are re-exported here.
 */
import { STORAGE_UNAVAILABLE_MESSAGE } from '../api/errorMessages';
import type {
  CreditEventKind,
  DisputeStatus,
  PracticeErrorCode,
  PracticeKind,
  PracticeRecordStatus,
} from '../gql/graphql';

export {
  CREDIT_EVENT_KIND_LABELS,
  CREDIT_EVENT_STATUS_LABELS,
  CREDIT_FACTOR_LABELS,
  CREDIT_GRADE_LABELS as GRADE_LABELS,
  CREDIT_SOURCE_KIND_LABELS,
  DISPUTE_STATUS_LABELS,
  PRACTICE_KIND_LABELS,
  PRACTICE_RECORD_STATUS_LABELS as RECORD_STATUS_LABELS,
} from '../labels/enums';

/** Kinds whose findings (hazards found / rectified) the form asks for. */
export const KINDS_WITH_FINDINGS: ReadonlySet<PracticeKind> = new Set<PracticeKind>([
  'HAZARD_INVESTIGATION',
  'ACCIDENT_INVESTIGATION',
  'RISK_ASSESSMENT',
  'SAFETY_EVALUATION',
]);

/** antd Tag colours. */
export const RECORD_STATUS_COLORS: Readonly<Record<PracticeRecordStatus, string>> = {
  DRAFT: 'default',
  SUBMITTED: 'processing',
  CONFIRMED: 'success',
  REJECTED: 'error',
};

/** The four evaluation dimensions, in the order of ScoresInput. */
export const DIMENSIONS = ['quality', 'timeliness', 'compliance', 'conduct'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Readonly<Record<Dimension, string>> = {
  quality: '工作质量',
  timeliness: '及时性',
  compliance: '合规性',
  conduct: '职业操守',
};

/** Points of each event kind before decay (docs/credit-model.md). */
export const CREDIT_EVENT_POINTS: Readonly<Record<CreditEventKind, number>> = {
  COMMENDATION: 60,
  AWARD: 40,
  ADMINISTRATIVE_PENALTY: -150,
  FALSE_REPORT: -300,
  CERTIFICATE_LENDING: -400,
  MISSED_EDUCATION: -80,
  COMPLAINT_UPHELD: -60,
};

export const DISPUTE_STATUS_COLORS: Readonly<Record<DisputeStatus, string>> = {
  OPEN: 'processing',
  UPHELD: 'success',
  REJECTED: 'error',
};

export const PRACTICE_ERROR_MESSAGES: Readonly<Record<PracticeErrorCode, string>> = {
  NOT_FOUND: '记录不存在或无权访问',
  INVALID_VALUE: '填写的内容不正确',
  STALE_VERSION: '记录已被他人修改，请刷新后重试',
  NO_REGISTRATION: '您当前没有有效的注册，不能填报执业记录',
  OUTSIDE_REGISTRATION: '执业日期不在注册有效期内',
  WRONG_EMPLOYER: '只能为注册所在单位填报执业记录',
  CLIENT_REQUIRED: '服务机构人员须填写委托单位及其统一社会信用代码',
  CLIENT_NOT_ALLOWED: '生产经营单位人员无须填写委托单位',
  CLIENT_CODE_INVALID: '委托单位统一社会信用代码不正确',
  NOT_EDITABLE: '该记录当前不能修改',
  UPLOAD_MISSING: '未找到上传的文件，请重新上传',
  UPLOAD_ALREADY_USED: '该证明材料已被使用，请重新上传',
  STORAGE_UNAVAILABLE: STORAGE_UNAVAILABLE_MESSAGE,
  FILE_TOO_LARGE: '文件过大',
  UNSUPPORTED_TYPE: '只接受 JPEG、PNG 图片或 PDF 文件',
  TOO_MANY_FILES: '证明材料数量已达上限',
  NOT_SUBMITTED: '该记录尚未提交',
  NOT_CONFIRMED: '该记录尚未确认',
  SELF_EVALUATION: '不能评价本人的执业记录',
  NOT_EVALUATOR: '您不是该记录的评价人',
  ALREADY_EVALUATED: '该记录已评价',
  SCORE_OUT_OF_RANGE: '评分应为 1 至 5 分',
  REASON_REQUIRED: '请填写理由',
  AUTHORITY_REQUIRED: '请填写作出决定的机关',
  SOURCE_REQUIRED: '请填写来源文书',
  ALREADY_WITHDRAWN: '该事件已撤回',
  DISPUTE_OPEN: '已有处理中的异议',
  ALREADY_DECIDED: '该异议已处理',
  SAME_REVIEWER: '须由录入人以外的审核人员处理',
  ALREADY_LISTED: '该人员已在失信名单中',
  REMOVAL_TOO_EARLY: '尚未到可申请移出的时间',
  ALREADY_REQUESTED: '已申请移出',
  NOT_LISTED: '该人员不在失信名单中',
};
