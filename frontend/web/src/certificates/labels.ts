/**
 * Colours, banner sentences and error texts of the certificate enums. Their labels live
 * in src/labels/enums.ts (one table per enum) and are re-exported here.
 */
import { STORAGE_UNAVAILABLE_MESSAGE } from '../api/errorMessages';
import type {
  CertificateErrorCode,
  CertificateStatus,
  CertificateVerificationStatus,
} from '../gql/graphql';

export { CERTIFICATE_KIND_LABELS, CERTIFICATE_STATUS_LABELS, VERIFICATION_STATUS_LABELS } from '../labels/enums';

/** antd Tag colours. */
export const CERTIFICATE_STATUS_COLORS: Readonly<Record<CertificateStatus, string>> = {
  ACTIVE: 'success',
  SUPERSEDED: 'default',
  EXPIRED: 'warning',
  REVOKED: 'error',
  CANCELLED: 'default',
};

/** The verdict as a sentence for the result banner. */
export const VERIFICATION_STATUS_TITLES: Readonly<Record<CertificateVerificationStatus, string>> = {
  VALID: '证书有效：本平台签发，签名与存证日志核验通过',
  EXPIRED: '证书已过期：已超过有效期',
  REVOKED: '证书已撤销：该证书已失效',
  CANCELLED: '证书已注销：该证书已失效',
  SUPERSEDED: '证书已被新证书取代：请核验新证书',
  UNKNOWN: '请核对证书编号是否输入完整、正确（可直接扫描证书上的二维码）；如仍查不到，请向证书持有人或发证机关核实。',
  TAMPERED: '核验未通过：签发机关签名不符，证书内容可能被篡改或伪造，请勿采信',
};

export const CERTIFICATE_ERROR_MESSAGES: Readonly<Record<CertificateErrorCode, string>> = {
  NOT_FOUND: '证书不存在或无权访问',
  REASON_REQUIRED: '撤销证书须说明理由',
  TOO_LONG: '撤销理由应为一行，不超过100字',
  NOT_ACTIVE: '只能撤销有效状态的证书',
  NOT_PERMITTED: '无权撤销证书',
  INVALID_NUMBER: '证书编号格式不正确',
  INVALID_VALUE: '输入内容无效',
  NOT_LOGGED_YET: '证书尚未记入存证日志',
  STORAGE_UNAVAILABLE: STORAGE_UNAVAILABLE_MESSAGE,
  UNSUPPORTED_ALGORITHM: '不支持的签名算法',
};
