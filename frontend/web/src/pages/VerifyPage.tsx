import { useCallback, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Alert, Button, Card, Descriptions, Form, Input, Result, Space, Spin, Tag, Typography } from 'antd';
import { CameraOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { CertificateVerificationDocument } from '../gql/graphql';
import type { CertificateVerificationQuery } from '../gql/graphql';
import { BrandMark } from '../components/BrandMark';
import { PRODUCT_NAME, useDocumentTitle } from '../components/useDocumentTitle';
import { describeError } from '../api/errorMessages';
import { formatChineseDate } from '../education/helpers';
import { formatDateTime } from '../registration/helpers';
import { SPECIALTY_LABELS } from '../registration/labels';
import {
  CHECK_STATE_COLORS,
  CHECK_STATE_LABELS,
  checkState,
  formatChineseDay,
  parseVerifierInput,
  shortHash,
  verificationTone,
  verifyPath,
} from '../certificates/helpers';
import { CERTIFICATE_KIND_LABELS, VERIFICATION_STATUS_LABELS, VERIFICATION_STATUS_TITLES } from '../certificates/labels';
import { QrScanModal } from './certificates/QrScanModal';
import { GlossaryHelp, Term } from '../certificates/Glossary';
import '../certificates/certificates.css';

type Verification = CertificateVerificationQuery['certificateVerification'];

function CheckTag({ value, testId }: { value: boolean | null | undefined; testId: string }) {
  const state = checkState(value);
  return (
    <Tag color={CHECK_STATE_COLORS[state]} data-testid={testId}>
      {CHECK_STATE_LABELS[state]}
    </Tag>
  );
}

function VerificationResult({ result }: { result: Verification }) {
  const tone = verificationTone(result.status);
  const head = result.treeHead;
  const ended = result.status === 'REVOKED' || result.status === 'CANCELLED';
  if (result.status === 'UNKNOWN') {
    // A mistyped number is the usual cause: say so, and keep the forgery warning for a
    // certificate whose signature fails (TAMPERED).
    return (
      <Card aria-label="核验结果">
        <Result
          status="info"
          title={<span data-testid="verification-status">{VERIFICATION_STATUS_LABELS.UNKNOWN}</span>}
          subTitle={VERIFICATION_STATUS_TITLES.UNKNOWN}
        />
      </Card>
    );
  }
  return (
    <Card aria-label="核验结果">
      <Result
        status={tone}
        title={<span data-testid="verification-status">{VERIFICATION_STATUS_LABELS[result.status]}</span>}
        subTitle={VERIFICATION_STATUS_TITLES[result.status]}
      />
      {ended && (result.revokedAt || result.revocationReason) ? (
        <Alert
          type="error"
          showIcon
          data-testid="revocation"
          title={`${result.status === 'REVOKED' ? '撤销' : '注销'}日期：${formatChineseDay(result.revokedAt)}`}
          description={`理由：${result.revocationReason ?? '—'}`}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {result.supersededBy ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            <span>
              已被新证书 <Link to={`/verify/${encodeURIComponent(result.supersededBy)}`}>{result.supersededBy}</Link> 取代
            </span>
          }
        />
      ) : null}
      {result.reasons.length > 0 ? (
        <Alert
          type={tone === 'success' ? 'info' : tone}
          showIcon
          style={{ marginBottom: 16 }}
          title="核验说明"
          description={
            <ul className="certificate-verdict-reasons" data-testid="verification-reasons">
              {result.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      {result.number ? (
        <Descriptions column={1} bordered size="small" title="证书信息">
          <Descriptions.Item label="证书编号">
            <Typography.Text copyable data-testid="verified-number">
              {result.number}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="持证人">{result.holderNameMasked}</Descriptions.Item>
          <Descriptions.Item label="身份证号">{result.idNumberMasked}</Descriptions.Item>
          <Descriptions.Item label="专业类别">{result.specialty ? SPECIALTY_LABELS[result.specialty] : '—'}</Descriptions.Item>
          <Descriptions.Item label="证书上的聘用单位">
            {result.employerName}
            {result.employerCreditCode ? `（${result.employerCreditCode}）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="现聘用单位">
            <span data-testid="current-employer">{result.currentEmployerName ?? '无有效注册'}</span>
          </Descriptions.Item>
          <Descriptions.Item label="签发类型">{result.kind ? CERTIFICATE_KIND_LABELS[result.kind] : '—'}</Descriptions.Item>
          <Descriptions.Item label="有效期">
            {formatChineseDate(result.validFrom)}至{formatChineseDate(result.validUntil)}
          </Descriptions.Item>
          <Descriptions.Item label="签发时间">{formatDateTime(result.issuedAt)}</Descriptions.Item>
        </Descriptions>
      ) : null}
      <Descriptions column={1} bordered size="small" title="技术核验" style={{ marginTop: 16 }}>
        <Descriptions.Item label="签发机关签名">
          <CheckTag value={result.signatureValid} testId="check-signature" />
        </Descriptions.Item>
        <Descriptions.Item label={<Term term="存证日志">存证日志包含证明</Term>}>
          <CheckTag value={result.inclusionVerified} testId="check-inclusion" />
          {result.leafIndex !== null && result.leafIndex !== undefined ? (
            <Typography.Text type="secondary">
              第 {result.leafIndex} 号记录{result.inclusionProof.length ? `，证明路径 ${result.inclusionProof.length} 个哈希` : ''}
            </Typography.Text>
          ) : null}
        </Descriptions.Item>
        {head ? (
          <Descriptions.Item label={<Term term="签名树头" />}>
            <Space orientation="vertical" size={0}>
              <span>
                {head.origin} · 共 {head.size} 条记录 · {formatDateTime(head.timestamp)}
              </span>
              <Typography.Text type="secondary" copyable={{ text: head.rootHash }}>
                <Term term="根哈希" /> {shortHash(head.rootHash)} · 密钥 {head.keyId}
              </Typography.Text>
            </Space>
          </Descriptions.Item>
        ) : null}
        {head && head.cosignatures.length > 0 ? (
          <Descriptions.Item label="见证方副署">
            <Space orientation="vertical" size={0}>
              {head.cosignatures.map((c) => (
                <span key={`${c.keyId}-${c.timestamp}`}>
                  见证密钥 {c.keyId} · {formatDateTime(c.timestamp)}
                </span>
              ))}
            </Space>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </Card>
  );
}

/**
 * 证书查验 (public, no sign-in): a certificate number, a verification link or the QR
 * text (pasted, or scanned with the camera where the browser can) → the verdict with the
 * signature check, the inclusion proof against the latest signed tree head and, for a
 * revoked certificate, the date and reason. `/verify/<number>` and `/verify?qr=<text>`.
 */
export function VerifyPage() {
  useDocumentTitle('证书查验');
  const { number: routeNumber = '' } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const [scanning, setScanning] = useState(false);
  const qr = search.get('qr') ?? '';
  const input = parseVerifierInput(qr || routeNumber);
  const variables =
    input.kind === 'qr' ? { qrPayload: input.qrPayload } : input.kind === 'number' ? { number: input.number } : {};
  const [{ data, fetching, error }] = useQuery({
    query: CertificateVerificationDocument,
    variables,
    pause: input.kind === 'empty',
    requestPolicy: 'network-only',
  });
  const result = data?.certificateVerification;
  const [form] = Form.useForm<{ text: string }>();
  const current = qr || routeNumber;

  const go = useCallback(
    (text: string) => {
      setScanning(false);
      navigate(verifyPath(parseVerifierInput(text)));
    },
    [navigate],
  );

  return (
    <div className="public-page">
      <header className="public-header">
        <BrandMark />
        <span className="app-brand-name">{PRODUCT_NAME}</span>
      </header>
      <main className="public-main">
        <Card
          title={
            <Space>
              <SafetyCertificateOutlined />
              <span>证书查验</span>
            </Space>
          }
        >
          <Typography.Paragraph type="secondary">
            输入注册证书编号，或粘贴证书二维码的内容（核验链接或以 RS1: 开头的文字），在线核验注册安全工程师证书的真实性与有效状态。
          </Typography.Paragraph>
          <Form
            form={form}
            key={current}
            layout="vertical"
            initialValues={{ text: current }}
            onFinish={({ text }) => go(text)}
          >
            <Form.Item
              name="text"
              label="证书编号或二维码内容"
              rules={[{ required: true, whitespace: true, message: '请输入证书编号或粘贴二维码内容' }]}
            >
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} placeholder="证书编号（如 AQ2026 44 HG 000123 加校验位），或 RS1: 开头的二维码内容" allowClear />
            </Form.Item>
            <Space wrap>
              <Button type="primary" htmlType="submit" loading={fetching}>
                核验
              </Button>
              {/* Every browser: BarcodeDetector, else jsQR on the camera or on a photo. */}
              <Button icon={<CameraOutlined />} onClick={() => setScanning(true)}>
                扫码核验
              </Button>
            </Space>
          </Form>
        </Card>
        {error ? (
          <Alert type="error" showIcon title={describeError(error)} style={{ marginTop: 16 }} />
        ) : null}
        {fetching && !result ? <Spin style={{ display: 'block', margin: 24 }} /> : null}
        {result && !fetching ? <VerificationResult result={result} /> : null}
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          公开核验无需登录。签名公钥、吊销状态列表与存证日志的签名树头可在 <a href="/verify/keys.json">/verify/keys.json</a>、
          <a href="/verify/status-list">/verify/status-list</a>、<a href="/verify/log/tree-head">/verify/log/tree-head</a> 获取，用于离线核验。
          <Link to="/login" style={{ marginLeft: 8 }}>
            登录
          </Link>
        </Typography.Paragraph>
        <GlossaryHelp terms={['存证日志', '签名树头', '根哈希', '离线证明包', 'VC']} />
      </main>
      <QrScanModal open={scanning} onClose={() => setScanning(false)} onScanned={go} />
    </div>
  );
}
