/**
 * zh-CN texts for uploadConfirm's error codes (UploadErrorCode). Every code has one, so a
 * code added to the schema fails the type check here until it is worded.
 *
 * Where the server's message names the limit or the target's state (文件不能超过10MB,
 * 每条记录最多5份证明材料, 申请已提交，不能再上传材料), that message is shown; the text
 * here is its fallback. Elsewhere the text here is shown, as formErrors does.
 */
import { STORAGE_UNAVAILABLE_MESSAGE } from '../api/errorMessages';
import type { UploadErrorCode } from '../gql/graphql';
import type { PayloadError } from '../forms/formErrors';

export const UPLOAD_ERROR_MESSAGES: Readonly<Record<UploadErrorCode, string>> = {
  NOT_FOUND: '上传不存在或无权访问，请重新上传',
  EXPIRED: '上传已过期，请重新上传',
  ALREADY_CONFIRMED: '该文件已确认上传',
  INVALID_SIZE: '文件大小无效',
  TOO_LARGE: '文件过大',
  UNSUPPORTED_TYPE: '不支持该文件类型',
  MISSING: '未收到文件，请重新上传',
  SIZE_MISMATCH: '收到的文件大小与申报不符，请重新上传',
  INVALID_CONTENT: '文件内容与类型不符或已损坏',
  INVALID_FILENAME: '文件名无效',
  FILENAME_TOO_LONG: '文件名过长',
  CHANGED: '文件在检查期间被改动，请重新上传',
  DOCUMENT_TOO_LARGE: '图片尺寸或页面过大',
  DOCUMENT_UNSUPPORTED_TYPE: '只支持 JPEG、PNG 或 PDF 文件',
  DOCUMENT_CORRUPT: '文件已损坏，无法读取',
  DOCUMENT_TOO_MANY_PAGES: '文件页数过多',
  NOT_EDITABLE: '当前不能再上传文件',
  TOO_MANY_FILES: '文件数量已达上限',
  STORAGE_UNAVAILABLE: STORAGE_UNAVAILABLE_MESSAGE,
};

/** The codes whose server message says more than the text above (a limit, a state). */
const SERVER_WORDED: ReadonlySet<UploadErrorCode> = new Set<UploadErrorCode>([
  'TOO_LARGE',
  'UNSUPPORTED_TYPE',
  'FILENAME_TOO_LONG',
  'DOCUMENT_TOO_LARGE',
  'DOCUMENT_TOO_MANY_PAGES',
  'NOT_EDITABLE',
  'TOO_MANY_FILES',
]);

function isUploadErrorCode(code: string): code is UploadErrorCode {
  return Object.prototype.hasOwnProperty.call(UPLOAD_ERROR_MESSAGES, code);
}

/** The text to show for one of uploadConfirm's errors. */
export function uploadErrorMessage(error: PayloadError): string {
  if (!isUploadErrorCode(error.code)) return error.message;
  if (SERVER_WORDED.has(error.code) && error.message) return error.message;
  return UPLOAD_ERROR_MESSAGES[error.code];
}
