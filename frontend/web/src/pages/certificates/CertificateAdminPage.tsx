import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { StopOutlined } from '@ant-design/icons';
import { CertificateByNumberDocument, CertificateRevokeDocument } from '../../gql/graphql';
import type { CertificateByNumberQuery } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import { formatChineseDate } from '../../education/helpers';
import { formatDateTime } from '../../registration/helpers';
import { SPECIALTY_LABELS } from '../../registration/labels';
import {
  CERTIFICATE_ERROR_MESSAGES,
  CERTIFICATE_KIND_LABELS,
  CERTIFICATE_STATUS_COLORS,
  CERTIFICATE_STATUS_LABELS,
} from '../../certificates/labels';
import { normalizeNumber, parseVerifierInput } from '../../certificates/helpers';

type Found = NonNullable<CertificateByNumberQuery['certificate']>;

interface RevokeValues {
  reason: string;
}

export const REVOKE_REASON_MAX = 100;

function RevokeModal({ cert, open, onClose }: { cert: Found; open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<RevokeValues>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching }, revoke] = useMutation(CertificateRevokeDocument);

  const submit = async ({ reason }: RevokeValues) => {
    setAlerts([]);
    const result = await revoke({ id: cert.id, reason: reason.trim() });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data?.certificateRevoke;
    if (!payload) return;
    if (payload.errors.length > 0) {
      const { fields, messages } = formErrors<RevokeValues>(payload.errors, {
        fields: ['reason'],
        messages: CERTIFICATE_ERROR_MESSAGES,
      });
      form.setFields(fields);
      setAlerts(messages);
      return;
    }
    message.success(`证书 ${cert.number} 已撤销`);
    onClose();
  };

  return (
    <Modal
      open={open}
      title={`撤销证书 ${cert.number}`}
      okText="确认撤销"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Space orientation="vertical" className="full-width">
        <Alert
          type="warning"
          showIcon
          title="撤销不可恢复"
          description="撤销记录将由签发机关签名并记入存证日志，该证书的注册随之注销；公开核验页将显示撤销日期与理由。"
        />
        {alerts.map((text) => (
          <Alert key={text} type="error" showIcon title={text} />
        ))}
        <Form<RevokeValues> form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item
            name="reason"
            label="撤销理由"
            rules={[
              { required: true, whitespace: true, message: '请填写撤销理由' },
              { max: REVOKE_REASON_MAX, message: `撤销理由不超过${REVOKE_REASON_MAX}字` },
              { pattern: /^[^\r\n\t]*$/, message: '撤销理由应为一行' },
            ]}
          >
            <Input placeholder="例如：以欺骗手段取得注册" maxLength={REVOKE_REASON_MAX} showCount />
          </Form.Item>
        </Form>
      </Space>
    </Modal>
  );
}

/**
 * 证书管理 (reviewers and administrators): look a certificate up by number (or its QR
 * text) and revoke it with a reason.
 */
export function CertificateAdminPage() {
  const [search, setSearch] = useSearchParams();
  const number = normalizeNumber(search.get('number') ?? '');
  const [revoking, setRevoking] = useState(false);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: CertificateByNumberDocument,
    variables: { number },
    pause: number === '',
    requestPolicy: 'network-only',
  });
  const cert = data?.certificate;

  return (
    <PageContainer title="证书管理" description="按证书编号查询注册证书；对有效证书可说明理由后撤销。">
      <Space orientation="vertical" size="large" className="full-width">
        <Card>
          <Form
            key={number}
            layout="inline"
            initialValues={{ number }}
            onFinish={({ number: typed }: { number: string }) => {
              const parsed = parseVerifierInput(typed);
              setSearch(parsed.kind === 'number' ? { number: parsed.number } : {});
            }}
          >
            <Form.Item name="number" label="证书编号" rules={[{ required: true, whitespace: true, message: '请输入证书编号' }]}>
              <Input placeholder="AQ…" allowClear style={{ width: 280 }} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={fetching}>
                查询
              </Button>
            </Form.Item>
          </Form>
        </Card>
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        {data && !cert ? (
          <Card>
            <Empty description={`未找到证书 ${number}`} />
          </Card>
        ) : null}
        {cert ? (
          <Card
            aria-label="证书详情"
            title={
              <Space>
                <span>{cert.number}</span>
                <Tag color={CERTIFICATE_STATUS_COLORS[cert.status]} data-testid="admin-certificate-status">
                  {CERTIFICATE_STATUS_LABELS[cert.status]}
                </Tag>
              </Space>
            }
            extra={
              cert.status === 'ACTIVE' ? (
                <Button danger icon={<StopOutlined />} onClick={() => setRevoking(true)}>
                  撤销证书
                </Button>
              ) : null
            }
          >
            <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
              <Descriptions.Item label="持证人">{cert.holderNameMasked}</Descriptions.Item>
              <Descriptions.Item label="身份证号">{cert.idNumberMasked}</Descriptions.Item>
              <Descriptions.Item label="专业类别">{SPECIALTY_LABELS[cert.specialty]}</Descriptions.Item>
              <Descriptions.Item label="签发类型">
                {CERTIFICATE_KIND_LABELS[cert.kind]}
                {cert.previous ? `（原证书 ${cert.previous.number}）` : ''}
              </Descriptions.Item>
              <Descriptions.Item label="聘用单位">
                {cert.employerName}（{cert.employerCreditCode}）
              </Descriptions.Item>
              <Descriptions.Item label="有效期">
                {formatChineseDate(cert.validFrom)}至{formatChineseDate(cert.validUntil)}
              </Descriptions.Item>
              <Descriptions.Item label="签发时间">{formatDateTime(cert.issuedAt)}</Descriptions.Item>
              <Descriptions.Item label="存证日志">第 {cert.leafIndex} 号记录</Descriptions.Item>
              {cert.endReason ? (
                <Descriptions.Item label="撤销/注销" span={2}>
                  <span data-testid="admin-end-reason">
                    {formatDateTime(cert.endedAt)}，理由：{cert.endReason}
                  </span>
                </Descriptions.Item>
              ) : null}
            </Descriptions>
            <Typography.Paragraph style={{ marginTop: 16 }}>
              <Link to={`/verify/${encodeURIComponent(cert.number)}`} target="_blank">
                打开公开核验页
              </Link>
            </Typography.Paragraph>
            <RevokeModal
              cert={cert}
              open={revoking}
              onClose={() => {
                setRevoking(false);
                refetch({ requestPolicy: 'network-only' });
              }}
            />
          </Card>
        ) : null}
      </Space>
    </PageContainer>
  );
}
