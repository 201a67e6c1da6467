/** Chinese labels of the continuing-education enums. */
import type {
  AttemptStatus,
  CourseStatus,
  EnrolmentStatus,
  HourSource,
  HourStatus,
  ImportErrorCode,
  QuestionKind,
  SubjectKind,
  TranscriptStatus,
  UnitKind,
} from '../gql/graphql';

export const SUBJECT_KIND_LABELS: Readonly<Record<SubjectKind, string>> = {
  GENERAL: '公需科目',
  PROFESSIONAL: '专业科目',
};

export const UNIT_KIND_LABELS: Readonly<Record<UnitKind, string>> = {
  VIDEO: '视频',
  DOCUMENT: '文档',
  LIVE: '直播',
};

export const COURSE_STATUS_LABELS: Readonly<Record<CourseStatus, string>> = {
  DRAFT: '草稿',
  PUBLISHED: '已发布',
  CLOSED: '已结课',
};

export const ENROLMENT_STATUS_LABELS: Readonly<Record<EnrolmentStatus, string>> = {
  ENROLLED: '学习中',
  COMPLETED: '已结业',
};

export const ATTEMPT_STATUS_LABELS: Readonly<Record<AttemptStatus, string>> = {
  IN_PROGRESS: '答题中',
  SUBMITTED: '已交卷',
  EXPIRED: '超时交卷',
};

export const QUESTION_KIND_LABELS: Readonly<Record<QuestionKind, string>> = {
  SINGLE: '单选题',
  MULTIPLE: '多选题',
  TRUE_FALSE: '判断题',
};

export const HOUR_SOURCE_LABELS: Readonly<Record<HourSource, string>> = {
  COURSE: '平台课程',
  EXTERNAL: '外部导入',
  SELF_REPORTED: '个人申报',
};

export const HOUR_STATUS_LABELS: Readonly<Record<HourStatus, string>> = {
  ACCEPTED: '已认定',
  PENDING: '待审核',
  REJECTED: '不予认可',
};

export const HOUR_STATUS_COLORS: Readonly<Record<HourStatus, string>> = {
  ACCEPTED: 'green',
  PENDING: 'processing',
  REJECTED: 'red',
};

export const TRANSCRIPT_STATUS_LABELS: Readonly<Record<TranscriptStatus, string>> = {
  PENDING: '生成中',
  READY: '已生成',
  FAILED: '生成失败',
};

export const IMPORT_ERROR_LABELS: Readonly<Partial<Record<ImportErrorCode, string>>> = {
  BAD_ID_NUMBER: '身份证号码无效',
  DUPLICATE_ROW: '重复行',
  HOURS_OVER_COURSE: '学时超过课程学时',
  UNKNOWN_PERSON: '人员不存在',
  UNKNOWN_COURSE: '课程不存在',
};
