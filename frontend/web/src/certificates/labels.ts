/** Chinese labels and colours of the certificate enums. */
import { STORAGE_UNAVAILABLE_MESSAGE } from '../api/errorMessages';
import type {
  CertificateErrorCode,
  CertificateKind,
  CertificateStatus,
  CertificateVerificationStatus,
} from '../gql/graphql';

export const CERTIFICATE_STATUS_LABELS: Readonly<Record<CertificateStatus, string>> = {
  ACTIVE: '有效',
  SUPERSEDED: '已被取代',
  EXPIRED: '已过期',
  REVOKED: '已撤销',
  CANCELLED: '已注销',
};

/** antd Tag colours. */
export const CERTIFICATE_STATUS_COLORS: Readonly<Record<CertificateStatus, string>> = {
  ACTIVE: 'success',
  SUPERSEDED: 'default',
  EXPIRED: 'warning',
  REVOKED: 'error',
  CANCELLED: 'default',
};

export const CERTIFICATE_KIND_LABELS: Readonly<Record<CertificateKind, string>> = {
  ISSUED: '首次签发',
  RENEWED: '延续注册',
  CHANGED: '变更注册',
  REISSUED: '补证',
};

export const VERIFICATION_STATUS_LABELS: Readonly<Record<CertificateVerificationStatus, string>> = {
  VALID: '有效',
  EXPIRED: '已过期',
  REVOKED: '已撤销',
  CANCELLED: '已注销',
  SUPERSEDED: '已被新证书取代',
  UNKNOWN: '查无此证',
  TAMPERED: '证书内容被篡改或签名无效',
};

/** The verdict as a sentence for the result banner. */
export const VERIFICATION_STATUS_TITLES: Readonly<Record<CertificateVerificationStatus, string>> = {
  VALID: '证书有效：本平台签发，签名与存证日志核验通过',
  EXPIRED: '证书已过期：已超过有效期',
  REVOKED: '证书已撤销：该证书已失效',
  CANCELLED: '证书已注销：该证书已失效',
  SUPERSEDED: '证书已被新证书取代：请核验新证书',
  UNKNOWN: '查无此证：不是本平台签发的证书编号',
  TAMPERED: '核验未通过：证书内容被篡改或签名无效',
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
