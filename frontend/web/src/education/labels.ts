/**
 * Chinese labels of the continuing-education domain. The enum tables live in
 * src/labels/enums.ts (one table per enum) and are re-exported here.
 */
import type { HourStatus, ImportErrorCode } from '../gql/graphql';

export {
  ATTEMPT_STATUS_LABELS,
  COURSE_STATUS_LABELS,
  ENROLMENT_STATUS_LABELS,
  HOUR_SOURCE_LABELS,
  HOUR_STATUS_LABELS,
  QUESTION_KIND_LABELS,
  REQUIREMENT_OUTLOOK_LABELS,
  SUBJECT_KIND_LABELS,
  TRANSCRIPT_STATUS_LABELS,
  UNIT_KIND_LABELS,
} from '../labels/enums';

export const HOUR_STATUS_COLORS: Readonly<Record<HourStatus, string>> = {
  ACCEPTED: 'green',
  PENDING: 'processing',
  REJECTED: 'red',
};

export const IMPORT_ERROR_LABELS: Readonly<Partial<Record<ImportErrorCode, string>>> = {
  BAD_ID_NUMBER: '身份证号码无效',
  DUPLICATE_ROW: '重复行',
  HOURS_OVER_COURSE: '学时超过课程学时',
  UNKNOWN_PERSON: '人员不存在',
  UNKNOWN_COURSE: '课程不存在',
};
