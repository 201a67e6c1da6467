import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Modal, Row, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, ExpandOutlined, FilePdfOutlined, LoadingOutlined, RedoOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { CertificateBundleDocument, CertificatePdfRetryDocument, MyCertificatePdfDocument, MyCertificatesDocument } from '../../gql/graphql';
import type { CertificatePdfStatus, MyCertificatesQuery } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { formatChineseDate } from '../../education/helpers';
import { formatDateTime } from '../../registration/helpers';
import { SPECIALTY_LABELS } from '../../registration/labels';
import { CERTIFICATE_KIND_LABELS, CERTIFICATE_STATUS_COLORS, CERTIFICATE_STATUS_LABELS } from '../../certificates/labels';
import { CERTIFICATE_PDF_STATUS_LABELS } from '../../labels/enums';
import { downloadText, formatChineseDay } from '../../certificates/helpers';
import { MIN_MODULE_PX, qrViews } from '../../certificates/qr';
import { Term } from '../../certificates/Glossary';
import '../../certificates/certificates.css';

type MyCertificate = MyCertificatesQuery['myCertificates'][number];
type HistoryRow = MyCertificate['history'][number];

const HISTORY_COLUMNS: TableProps<HistoryRow>['columns'] = [
  {
    key: 'number',
    title: '证书编号',
    render: (_, c) => <Link to={`/verify/${encodeURIComponent(c.number)}`}>{c.number}</Link>,
  },
  { key: 'kind', title: '签发类型', render: (_, c) => CERTIFICATE_KIND_LABELS[c.kind] },
  { key: 'specialty', title: '专业类别', render: (_, c) => SPECIALTY_LABELS[c.specialty] },
  { key: 'employer', title: '聘用单位', render: (_, c) => c.employerName },
  {
    key: 'validity',
    title: '有效期',
    render: (_, c) => `${formatChineseDate(c.validFrom)}至${formatChineseDate(c.validUntil)}`,
  },
  {
    key: 'status',
    title: '状态',
    render: (_, c) => (
      <Space orientation="vertical" size={0}>
        <Tag color={CERTIFICATE_STATUS_COLORS[c.status]}>{CERTIFICATE_STATUS_LABELS[c.status]}</Tag>
        {c.endReason ? (
          <Typography.Text type="secondary">
            {formatChineseDay(c.endedAt)} {c.endReason}
          </Typography.Text>
        ) : null}
      </Space>
    ),
  },
];

/** How often the PDF status is asked for while its job is pending (tests shorten it). */
export const PDF_POLLING = { intervalMs: 3000 };

interface PdfState {
  pdfStatus: CertificatePdfStatus;
  pdfUrl?: string | null;
}

/**
 * 证书PDF: download once READY; while PENDING (the worker's job) it says 生成中 and asks
 * the API again (network-only) every few seconds until READY or FAILED or the page is
 * left; FAILED offers 重试 (certificatePdfRetry queues the job again).
 */
function CertificatePdf({ cert }: { cert: MyCertificate }) {
  const client = useClient();
  const { message } = App.useApp();
  const [latest, setLatest] = useState<PdfState | null>(null);
  const [{ fetching: retrying }, retry] = useMutation(CertificatePdfRetryDocument);
  const status = latest?.pdfStatus ?? cert.pdfStatus;
  const url = latest ? latest.pdfUrl : cert.pdfUrl;

  useEffect(() => {
    if (status !== 'PENDING') return undefined;
    let stopped = false;
    let timer: number | undefined;
    // One request at a time: the next is scheduled once the answer is in.
    const poll = async () => {
      const result = await client.query(MyCertificatePdfDocument, {}, { requestPolicy: 'network-only' }).toPromise();
      if (stopped) return;
      const found = result.data?.myCertificates.find((c) => c.id === cert.id);
      if (found) setLatest({ pdfStatus: found.pdfStatus, pdfUrl: found.pdfUrl });
      if (!found || found.pdfStatus === 'PENDING') timer = window.setTimeout(() => void poll(), PDF_POLLING.intervalMs);
    };
    timer = window.setTimeout(() => void poll(), PDF_POLLING.intervalMs);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [status, client, cert.id]);

  const again = async () => {
    const result = await retry({ id: cert.id });
    const payload = result.data?.certificatePdfRetry;
    if (result.error) message.error(describeError(result.error));
    else if (payload?.errors.length) for (const e of payload.errors) message.error(e.message);
    else if (payload?.certificate) {
      setLatest({ pdfStatus: payload.certificate.pdfStatus, pdfUrl: payload.certificate.pdfUrl });
      message.success('已重新提交证书PDF生成');
    }
  };

  if (status === 'READY' && url) {
    return (
      <Button icon={<FilePdfOutlined />} href={url} target="_blank" rel="noreferrer">
        下载证书PDF
      </Button>
    );
  }
  if (status === 'FAILED') {
    return (
      <Space data-testid="certificate-pdf-status" data-status={status}>
        <Typography.Text type="danger">{`证书PDF${CERTIFICATE_PDF_STATUS_LABELS.FAILED}`}</Typography.Text>
        <Button icon={<RedoOutlined />} loading={retrying} onClick={() => void again()}>
          重试
        </Button>
      </Space>
    );
  }
  return (
    <Button icon={status === 'PENDING' ? <LoadingOutlined /> : <FilePdfOutlined />} disabled data-testid="certificate-pdf-status" data-status={status}>
      {`证书PDF${CERTIFICATE_PDF_STATUS_LABELS[status]}`}
    </Button>
  );
}

function CertificateCard({ cert }: { cert: MyCertificate }) {
  const client = useClient();
  const { message } = App.useApp();
  const [bundling, setBundling] = useState(false);
  const [enlarged, setEnlarged] = useState(false);
  const qr = useMemo(() => qrViews(cert.qrSvg, cert.qrVersion), [cert.qrSvg, cert.qrVersion]);

  const downloadBundle = async () => {
    setBundling(true);
    try {
      const result = await client
        .query(CertificateBundleDocument, { number: cert.number }, { requestPolicy: 'network-only' })
        .toPromise();
      if (result.error) {
        message.error(describeError(result.error));
      } else if (result.data?.certificateBundle) {
        downloadText(`${cert.number}-bundle.json`, result.data.certificateBundle);
      } else {
        message.error('暂时无法生成离线证明包，请稍后重试');
      }
    } finally {
      setBundling(false);
    }
  };

  return (
    <Card
      title={
        <Space>
          <SafetyCertificateOutlined />
          <span>注册证书</span>
          <Tag color={CERTIFICATE_STATUS_COLORS[cert.status]} data-testid="certificate-status">
            {CERTIFICATE_STATUS_LABELS[cert.status]}
          </Tag>
        </Space>
      }
      aria-label="当前证书"
    >
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={15}>
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label="证书编号">
              <Typography.Text copyable strong data-testid="certificate-number">
                {cert.number}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="持证人">{cert.holderNameMasked}</Descriptions.Item>
            <Descriptions.Item label="身份证号">{cert.idNumberMasked}</Descriptions.Item>
            <Descriptions.Item label="专业类别">{SPECIALTY_LABELS[cert.specialty]}</Descriptions.Item>
            <Descriptions.Item label="聘用单位">
              {cert.employerName}（{cert.employerCreditCode}）
            </Descriptions.Item>
            <Descriptions.Item label="有效期">
              {formatChineseDate(cert.validFrom)}至{formatChineseDate(cert.validUntil)}
            </Descriptions.Item>
            <Descriptions.Item label="签发类型">
              {CERTIFICATE_KIND_LABELS[cert.kind]}
              {cert.previous ? `（原证书 ${cert.previous.number}）` : ''}
            </Descriptions.Item>
            <Descriptions.Item label="签发时间">{formatDateTime(cert.issuedAt)}</Descriptions.Item>
            {cert.qualificationNumber ? (
              <Descriptions.Item label="职业资格证书编号">{cert.qualificationNumber}</Descriptions.Item>
            ) : null}
            {cert.endReason ? (
              <Descriptions.Item label="撤销/注销">
                {formatChineseDay(cert.endedAt)}，理由：{cert.endReason}
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={<Term term="存证日志" />}>第 {cert.leafIndex} 号记录 · 签发密钥 {cert.keyId}</Descriptions.Item>
          </Descriptions>
          <Space wrap style={{ marginTop: 16 }}>
            <CertificatePdf key={cert.id} cert={cert} />
            <Button icon={<DownloadOutlined />} loading={bundling} onClick={downloadBundle}>
              下载离线证明包
            </Button>
            <Term term="离线证明包" iconOnly />
            {cert.verifiableCredential ? (
              <Button
                icon={<DownloadOutlined />}
                onClick={() => downloadText(`${cert.number}-vc.json`, cert.verifiableCredential ?? '', 'application/vc+ld+json')}
              >
                下载可验证凭证 (VC)
              </Button>
            ) : null}
            {cert.verifiableCredential ? <Term term="VC" iconOnly /> : null}
            <Link to={`/verify/${encodeURIComponent(cert.number)}`} target="_blank">
              打开公开核验页
            </Link>
          </Space>
        </Col>
        <Col xs={24} lg={9}>
          <Space orientation="vertical" align="center" className="full-width">
            <div
              className="certificate-qr"
              role="img"
              aria-label={`证书二维码：${cert.number}`}
              data-testid="certificate-qr"
              data-size={qr.inline.size}
              // The API renders the symbol (segno SVG) from the signed payload; qrViews adds
              // the viewBox it lacks and sizes it whole, crisp, module by module.
              dangerouslySetInnerHTML={{ __html: qr.inline.markup }}
            />
            <Button icon={<ExpandOutlined />} onClick={() => setEnlarged(true)}>
              放大
            </Button>
            {qr.inlineBelowMinimum ? (
              <Typography.Text type="secondary">扫码时请点“放大”，以便手机相机识别</Typography.Text>
            ) : null}
            <Typography.Text type="secondary">手机扫码即打开核验页；二维码含签名数据，可离线验签（版本 {cert.qrVersion}）</Typography.Text>
            <Typography.Paragraph
              className="certificate-qr-text"
              copyable={{ text: cert.qrText }}
              ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}
              data-testid="certificate-qr-text"
              data-qr-text={cert.qrText}
            >
              {cert.qrText}
            </Typography.Paragraph>
          </Space>
        </Col>
      </Row>
      <Modal
        open={enlarged}
        onCancel={() => setEnlarged(false)}
        footer={null}
        centered
        destroyOnHidden
        width={qr.full.size + 48}
        title={`证书二维码：${cert.number}`}
      >
        <div
          className="certificate-qr certificate-qr-full"
          role="img"
          aria-label={`证书二维码（放大）：${cert.number}`}
          data-testid="certificate-qr-full"
          data-size={qr.full.size}
          dangerouslySetInnerHTML={{ __html: qr.full.markup }}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          每个码点不小于 {MIN_MODULE_PX} 像素；请将手机相机对准二维码，保持屏幕亮度。
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}

/** 我的证书: the current registration certificate with its QR, downloads and history. */
export function MyCertificatesPage() {
  const [{ data, error, fetching }] = useQuery({ query: MyCertificatesDocument, requestPolicy: 'cache-and-network' });
  const certificates = data?.myCertificates ?? [];
  const current = certificates[0];
  const history = current?.history ?? [];
  const others = certificates.filter((c) => !history.some((h) => h.id === c.id));

  return (
    <PageContainer
      title="我的证书"
      description={
        <>
          注册证书由签发机关签名并记入<Term term="存证日志" />；任何人可凭证书编号或二维码在公开核验页查验。
        </>
      }
    >
      <Space orientation="vertical" size="large" className="full-width">
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        {fetching && !data ? <Card loading /> : null}
        {data && !current ? (
          <Card>
            <Empty description="暂无注册证书：注册申请经终审准予注册后自动签发。" />
          </Card>
        ) : null}
        {current ? <CertificateCard cert={current} /> : null}
        {current ? (
          <Card title="证书历史" aria-label="证书历史">
            <Table<HistoryRow>
              rowKey="id"
              size="small"
              pagination={false}
              columns={HISTORY_COLUMNS}
              dataSource={[...history, ...others.filter((c) => c.id !== current.id)]}
            />
          </Card>
        ) : null}
      </Space>
    </PageContainer>
  );
}
