/**
 * Chinese texts for the API's error codes: payload errors (`errors { code }`) and the
 * `extensions.code` of top-level GraphQL errors. The server's own message is the fallback
 * for a code not listed here.
 */
import type { CombinedError } from 'urql';

/** The object store is down (every domain's STORAGE_UNAVAILABLE): one text everywhere. */
export const STORAGE_UNAVAILABLE_MESSAGE = '文件存储暂时不可用，请稍后重试';

export const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  // 登录与令牌 (AuthErrorCode)
  INVALID_CREDENTIALS: '用户名或密码错误',
  TOO_MANY_ATTEMPTS: '登录失败次数过多，请稍后再试',
  ACCOUNT_DISABLED: '账号已停用，请联系管理员',
  REFRESH_TOKEN_INVALID: '登录状态无效，请重新登录',
  REFRESH_TOKEN_EXPIRED: '登录已过期，请重新登录',
  REFRESH_TOKEN_REUSED: '登录状态已失效，请重新登录',
  USERNAME_TAKEN: '该用户名已被使用',
  PASSWORD_TOO_WEAK: '密码强度不足',

  // 人员与单位 (IdentityErrorCode)
  ID_NUMBER_FORMAT: '身份证号码格式不正确',
  ID_NUMBER_CHECKSUM: '身份证号码校验位不正确',
  BIRTH_DATE_INVALID: '出生日期无效',
  AGE_OUT_OF_RANGE: '年龄不在允许范围内',
  NAME_INVALID: '姓名格式不正确',
  PHONE_INVALID: '手机号码格式不正确',
  REGION_INVALID: '行政区划代码无效',
  DUPLICATE_PERSON: '该人员已登记',
  CREDIT_CODE_FORMAT: '统一社会信用代码格式不正确',
  CREDIT_CODE_CHECKSUM: '统一社会信用代码校验位不正确',
  DUPLICATE_EMPLOYER: '该单位已登记',
  INDUSTRY_INVALID: '行业门类无效',
  EMPLOYMENT_OVERLAP: '该人员已有在职聘用记录',
  EMPLOYMENT_DATES: '聘用日期不正确',
  NOT_FOUND: '记录不存在或已删除',
  NOT_PERMITTED: '无权执行此操作',
  STALE_VERSION: '记录已被他人修改，请刷新后重试',
  TOO_LONG: '内容过长',
  INVITATION_LIMIT: '本单位今日发出的聘用邀请已达上限，请明日再试',
  INVITATION_CLOSED: '该聘用邀请已确认、已拒绝或已过期',

  // 上传: the domains' upload codes and every domain's STORAGE_UNAVAILABLE (uploadConfirm's
  // own UploadErrorCode texts are UPLOAD_ERROR_MESSAGES, src/uploads/messages.ts)
  STORAGE_UNAVAILABLE: STORAGE_UNAVAILABLE_MESSAGE,
  EXPIRED: '上传已过期，请重新上传',
  ALREADY_CONFIRMED: '该文件已确认上传',
  MISSING: '未收到文件，请重新上传',
  SIZE_MISMATCH: '收到的文件大小与申报不符，请重新上传',
  INVALID_CONTENT: '文件内容与类型不符或已损坏',
  CHANGED: '文件在检查期间被改动，请重新上传',
  TOO_MANY_FILES: '文件数量已达上限',
  UPLOAD_ALREADY_USED: '该证明材料已被使用，请重新上传',

  // 顶层错误 (extensions.code)
  UNAUTHENTICATED: '请先登录',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  TOKEN_INVALID: '登录状态无效，请重新登录',
  TOKEN_REVOKED: '登录会话已注销，请重新登录',
  FORBIDDEN: '当前角色无权执行此操作',
  PAYLOAD_TOO_LARGE: '请求内容过大',
  INTERNAL_SERVER_ERROR: '服务器内部错误，请稍后再试',
};

export const GENERIC_ERROR = '操作失败，请稍后再试';
export const NETWORK_ERROR = '无法连接服务器，请检查网络后重试';

/** The Chinese text for an error code; else the server's message; else a generic text. */
export function errorMessage(code: string | null | undefined, fallback?: string | null): string {
  return (code ? ERROR_MESSAGES[code] : undefined) ?? (fallback || GENERIC_ERROR);
}

/** The `extensions.code` values of a result's top-level GraphQL errors. */
export function errorCodes(error: CombinedError | undefined): string[] {
  if (!error) return [];
  return error.graphQLErrors
    .map((e) => e.extensions['code'])
    .filter((code): code is string => typeof code === 'string');
}

/** One line for the user describing a failed request (network or top-level GraphQL error). */
export function describeError(error: CombinedError): string {
  if (error.networkError) return NETWORK_ERROR;
  const first = error.graphQLErrors[0];
  if (!first) return GENERIC_ERROR;
  const code = first.extensions['code'];
  const requestId = first.extensions['requestId'];
  const text = errorMessage(typeof code === 'string' ? code : null, first.message);
  return typeof requestId === 'string' && requestId ? `${text}（请求编号 ${requestId}）` : text;
}
