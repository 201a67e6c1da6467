import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { TableProps, UploadFile } from 'antd';
import { RedoOutlined, SyncOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import {
  HoursEvidenceUploadRequestDocument,
  HoursSelfReportDocument,
  MyHoursDocument,
  MyTranscriptsDocument,
  TranscriptRequestDocument,
} from '../../gql/graphql';
import type { MyHoursQuery, MyTranscriptsQuery, Specialty, SubjectKind } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import '../../education/education.css';
import { describeError, errorMessage } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import { SPECIALTY_LABELS } from '../../registration/labels';
import { ruleVersionText } from '../../labels/enums';
import { IMAGES_AND_PDF, UploadProgress, acceptOf, step, useUpload, useUploadConfirm } from '../../uploads';
import { formatDateTime } from '../../registration/helpers';
import {
  HOUR_SOURCE_LABELS,
  HOUR_STATUS_COLORS,
  HOUR_STATUS_LABELS,
  SUBJECT_KIND_LABELS,
  TRANSCRIPT_STATUS_LABELS,
} from '../../education/labels';
import { formatHours, outlookText, requirementPercent } from '../../education/helpers';

type HourRow = MyHoursQuery['myHours']['records'][number];
type TranscriptRow = MyTranscriptsQuery['myTranscripts'][number];

const RECORD_COLUMNS: TableProps<HourRow>['columns'] = [
  { key: 'date', title: '认定日期', render: (_, r) => r.recognisedOn },
  { key: 'course', title: '课程', render: (_, r) => r.courseTitle },
  { key: 'provider', title: '培训机构', render: (_, r) => r.providerName },
  { key: 'kind', title: '科目类型', render: (_, r) => SUBJECT_KIND_LABELS[r.subjectKind] },
  {
    key: 'countsAs',
    title: '本周期计为',
    render: (_, r) => (r.countsAsProfessional === null || r.countsAsProfessional === undefined ? '—' : r.countsAsProfessional ? '专业' : '公需'),
  },
  { key: 'hours', title: '学时', render: (_, r) => formatHours(r.hours) },
  { key: 'source', title: '来源', render: (_, r) => HOUR_SOURCE_LABELS[r.source] },
  {
    key: 'status',
    title: '状态',
    render: (_, r) => (
      <Space orientation="vertical" size={0}>
        <Tag color={HOUR_STATUS_COLORS[r.status]}>{HOUR_STATUS_LABELS[r.status]}</Tag>
        {r.reviewNote ? <Typography.Text type="secondary">{r.reviewNote}</Typography.Text> : null}
      </Space>
    ),
  },
  { key: 'rule', title: '认定规则', render: (_, r) => ruleVersionText(r.ruleVersion) },
  {
    key: 'evidence',
    title: '证明',
    render: (_, r) =>
      r.evidenceUrl ? (
        <a href={r.evidenceUrl} target="_blank" rel="noreferrer">
          查看证明
        </a>
      ) : (
        r.reference ?? '—'
      ),
  },
];

/** 我的学时: the cycle requirement, every record, 个人申报 and 学时证明. */
export function MyHoursPage() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: MyHoursDocument, requestPolicy: 'cache-and-network' });
  const [reporting, setReporting] = useState(false);
  const hours = data?.myHours;
  const req = hours?.requirement;

  return (
    <PageContainer
      title="我的学时"
      description="继续教育学时按注册有效期统计；平台课程结业后自动认定，个人申报经审核后计入。"
      extra={<Button onClick={() => setReporting(true)}>个人申报</Button>}
    >
      <Space orientation="vertical" size="large" className="full-width">
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        {hours && !req ? (
          <Alert type="info" showIcon title="当前没有有效注册，暂无统计周期" description="取得注册后，按注册有效期统计继续教育学时。" />
        ) : null}
        {req ? (
          <Card title="本注册周期要求" loading={fetching && !data}>
            <Row gutter={[24, 24]} align="middle">
              <Col xs={24} md={8}>
                <Flex vertical align="center" gap={8}>
                  <Progress
                    type="circle"
                    percent={requirementPercent(req.counted, req.required)}
                    status={req.met ? 'success' : 'normal'}
                    format={() => (
                      <span data-testid="hours-ring">
                        {formatHours(req.counted)}/{formatHours(req.required)}
                      </span>
                    )}
                    aria-label={`已计入 ${formatHours(req.counted)} 学时，要求 ${formatHours(req.required)} 学时`}
                  />
                  <Typography.Text type="secondary">计入学时 / 要求学时</Typography.Text>
                </Flex>
              </Col>
              <Col xs={24} md={16}>
                <Space orientation="vertical" className="full-width">
                  <Typography.Text strong data-testid="cycle-description">
                    {req.cycleDescription}
                  </Typography.Text>
                  <Row gutter={16}>
                    <Col xs={12} sm={6}>
                      <Statistic title="要求学时" value={formatHours(req.required)} />
                    </Col>
                    <Col xs={12} sm={6}>
                      <Statistic title="计入学时" value={formatHours(req.counted)} />
                    </Col>
                    <Col xs={12} sm={6}>
                      <Statistic title="专业学时" value={formatHours(req.earnedProfessional)} suffix={`/ ${formatHours(req.minProfessional)}`} />
                    </Col>
                    <Col xs={12} sm={6}>
                      <Statistic title="公需学时" value={formatHours(req.earnedGeneral)} />
                    </Col>
                  </Row>
                  {req.met ? (
                    <Alert type="success" showIcon title="已达到本注册周期的继续教育要求" description={req.explanation} />
                  ) : (
                    <Alert
                      type="warning"
                      showIcon
                      title={`尚差 ${formatHours(req.shortfall)} 学时${req.professionalShortfall > 0 ? `（其中专业科目尚差 ${formatHours(req.professionalShortfall)} 学时）` : ''}`}
                      description={
                        <Space orientation="vertical" size={0}>
                          <span data-testid="outlook">{outlookText(req)}</span>
                          {req.explanation ? <Typography.Text type="secondary">{req.explanation}</Typography.Text> : null}
                        </Space>
                      }
                    />
                  )}
                  {hours && hours.pendingCount > 0 ? (
                    <Typography.Text type="secondary">另有 {hours.pendingCount} 条个人申报待审核，审核通过后计入。</Typography.Text>
                  ) : null}
                </Space>
              </Col>
            </Row>
          </Card>
        ) : null}
        <Card title="学时记录">
          <Table<HourRow>
            rowKey="id"
            columns={RECORD_COLUMNS}
            dataSource={hours?.records ?? []}
            loading={fetching && !data}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: '暂无学时记录' }}
            scroll={{ x: 'max-content' }}
          />
        </Card>
        <TranscriptsCard enabled={Boolean(req)} />
      </Space>
      <SelfReportModal
        open={reporting}
        onClose={(saved) => {
          setReporting(false);
          if (saved) refetch({ requestPolicy: 'network-only' });
        }}
      />
    </PageContainer>
  );
}

function TranscriptsCard({ enabled }: { enabled: boolean }) {
  const { message } = App.useApp();
  const [{ data, error, fetching }, refetch] = useQuery({ query: MyTranscriptsDocument, requestPolicy: 'cache-and-network' });
  const [{ fetching: requesting }, request] = useMutation(TranscriptRequestDocument);
  const rows = data?.myTranscripts ?? [];
  const pending = rows.some((t) => t.status === 'PENDING');

  // Rendering is a background job: poll while any is pending.
  useEffect(() => {
    if (!pending) return undefined;
    const timer = window.setInterval(() => refetch({ requestPolicy: 'network-only' }), 3000);
    return () => window.clearInterval(timer);
  }, [pending, refetch]);

  const ask = async () => {
    const result = await request({});
    if (result.error) {
      message.error(describeError(result.error));
      return;
    }
    const payload = result.data?.transcriptRequest;
    if (payload?.errors.length) {
      for (const e of payload.errors) message.error(errorMessage(e.code, e.message));
      return;
    }
    message.success('已申请学时证明，正在生成');
    refetch({ requestPolicy: 'network-only' });
  };

  const columns: TableProps<TranscriptRow>['columns'] = [
    { key: 'requestedAt', title: '申请时间', render: (_, t) => formatDateTime(t.requestedAt) },
    { key: 'cycle', title: '统计期间', render: (_, t) => `${t.cycleStart} 至 ${t.cycleEnd}` },
    {
      key: 'status',
      title: '状态',
      render: (_, t) => (
        <Space orientation="vertical" size={0}>
          <Tag
            color={t.status === 'READY' ? 'green' : t.status === 'FAILED' ? 'red' : 'processing'}
            icon={t.status === 'PENDING' ? <SyncOutlined spin /> : undefined}
          >
            {TRANSCRIPT_STATUS_LABELS[t.status]}
          </Tag>
          {t.failure ? <Typography.Text type="danger">{t.failure}</Typography.Text> : null}
          {/* 重试 = a new request (the failed one stays listed); offered while none is pending. */}
          {t.status === 'FAILED' && !pending && enabled ? (
            <Button size="small" icon={<RedoOutlined />} loading={requesting} onClick={() => void ask()}>
              重试
            </Button>
          ) : null}
        </Space>
      ),
    },
    { key: 'code', title: '验证码', render: (_, t) => <Typography.Text copyable>{t.verificationCode}</Typography.Text> },
    {
      key: 'sha',
      title: 'SHA-256',
      render: (_, t) =>
        t.sha256 ? (
          <Typography.Text code copyable={{ text: t.sha256 }} className="sha256">
            {t.sha256}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      key: 'download',
      title: '下载',
      render: (_, t) =>
        t.status === 'READY' && t.downloadUrl ? (
          <a href={t.downloadUrl} target="_blank" rel="noreferrer">
            下载 PDF
          </a>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Card
      title="学时证明"
      extra={
        <Button onClick={() => void ask()} loading={requesting} disabled={!enabled}>
          申请学时证明
        </Button>
      }
    >
      <Space orientation="vertical" className="full-width">
        <Typography.Text type="secondary">
          电子学时证明列出本注册周期的学时记录，附验证码与 SHA-256 摘要，可在公开核验页查验。
        </Typography.Text>
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        <Table<TranscriptRow>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={fetching && !data}
          pagination={false}
          locale={{ emptyText: '尚未申请学时证明' }}
          scroll={{ x: 'max-content' }}
        />
      </Space>
    </Card>
  );
}

interface SelfReportValues {
  courseTitle: string;
  providerName: string;
  subjectKind: SubjectKind;
  specialty?: Specialty;
  hours: number;
  completedOn: Dayjs;
  reference?: string;
}

const SELF_REPORT_FIELDS = ['courseTitle', 'providerName', 'subjectKind', 'specialty', 'hours', 'completedOn', 'reference'];

function SelfReportModal({ open, onClose }: { open: boolean; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<SelfReportValues>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [alerts, setAlerts] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [, requestUpload] = useMutation(HoursEvidenceUploadRequestDocument);
  const [, selfReport] = useMutation(HoursSelfReportDocument);
  const confirmUpload = useUploadConfirm();
  // The confirmed slot of the chosen file, kept while the report is not accepted (a
  // field to fix), so submitting again reuses it instead of uploading the file again.
  const [evidence, setEvidence] = useState<{ file: File; uploadId: string } | null>(null);
  // 证明材料 goes up (and is confirmed) when the form is submitted; its slot goes with the report.
  const upload = useUpload({
    limits: IMAGES_AND_PDF,
    request: async (file, contentType) =>
      step(
        await requestUpload({ size: file.size, contentType, filename: file.name }),
        (data) => data.hoursEvidenceUploadRequest,
        (t) => (t.upload?.url ? { url: t.upload.url, uploadId: t.upload.id } : null),
      ),
    confirm: (slot) => confirmUpload(slot.uploadId),
  });

  const submit = async (values: SelfReportValues) => {
    setAlerts([]);
    const file = files[0]?.originFileObj;
    if (!file) {
      setAlerts(['请上传证明材料（JPEG、PNG 或 PDF）']);
      return;
    }
    setBusy(true);
    try {
      let uploadId = evidence?.file === file ? evidence.uploadId : null;
      if (!uploadId) {
        const uploaded = await upload.start(file);
        if (!uploaded.ok) {
          setAlerts([uploaded.failure.message]);
          return;
        }
        uploadId = uploaded.slot.uploadId;
        setEvidence({ file, uploadId });
      }
      const result = await selfReport({
        input: {
          courseTitle: values.courseTitle,
          providerName: values.providerName,
          subjectKind: values.subjectKind,
          specialty: values.specialty ?? null,
          hours: values.hours,
          completedOn: values.completedOn.format('YYYY-MM-DD'),
          reference: values.reference?.trim() || null,
          evidenceUploadId: uploadId,
        },
      });
      if (result.error) {
        setAlerts([describeError(result.error)]);
        return;
      }
      const payload = result.data?.hoursSelfReport;
      if (payload?.record) {
        message.success('已提交个人申报，审核通过后计入学时');
        form.resetFields();
        setFiles([]);
        setEvidence(null);
        upload.reset();
        onClose(true);
        return;
      }
      // A slot the report could not take (used by an earlier report, or gone): the next
      // submit uploads the file again.
      if (payload?.errors.some((e) => e.code === 'UPLOAD_MISSING' || e.code === 'UPLOAD_ALREADY_USED')) setEvidence(null);
      const { fields, messages } = formErrors<SelfReportValues>(payload?.errors ?? [], { fields: SELF_REPORT_FIELDS });
      form.setFields(fields);
      setAlerts(messages);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title="个人申报学时"
      okText="提交申报"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Form<SelfReportValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ subjectKind: 'GENERAL' }}>
        {alerts.map((text) => (
          <Alert key={text} type="error" showIcon title={text} className="form-alert" />
        ))}
        <Form.Item name="courseTitle" label="课程/培训名称" rules={[{ required: true, message: '请填写课程名称' }]}>
          <Input maxLength={120} />
        </Form.Item>
        <Form.Item name="providerName" label="培训机构" rules={[{ required: true, message: '请填写培训机构' }]}>
          <Input maxLength={120} />
        </Form.Item>
        <Form.Item name="subjectKind" label="科目类型" rules={[{ required: true }]}>
          <Select
            aria-label="科目类型"
            options={(Object.keys(SUBJECT_KIND_LABELS) as SubjectKind[]).map((v) => ({ value: v, label: SUBJECT_KIND_LABELS[v] }))}
          />
        </Form.Item>
        <Form.Item name="specialty" label="专业类别">
          <Select
            allowClear
            aria-label="专业类别"
            options={(Object.keys(SPECIALTY_LABELS) as Specialty[]).map((v) => ({ value: v, label: SPECIALTY_LABELS[v] }))}
          />
        </Form.Item>
        <Form.Item name="hours" label="学时" rules={[{ required: true, message: '请填写学时' }]}>
          <InputNumber min={0.5} max={100} step={0.5} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="completedOn" label="完成日期" rules={[{ required: true, message: '请选择完成日期' }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reference" label="证书/证明编号">
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item label="证明材料" required>
          <Upload
            accept={`.jpg,.jpeg,.png,.pdf,${acceptOf(IMAGES_AND_PDF)}`}
            maxCount={1}
            fileList={files}
            beforeUpload={() => false}
            onChange={({ fileList }) => {
              setFiles(fileList.slice(-1));
              setEvidence(null);
              upload.reset();
            }}
          >
            <Button icon={<UploadOutlined />}>选择文件</Button>
          </Upload>
          {/* Failures go to the alerts above the form. */}
          <UploadProgress upload={upload} label="证明材料上传进度" showError={false} />
        </Form.Item>
        <Descriptions size="small" column={1}>
          <Descriptions.Item label="说明">个人申报须经审核通过后计入学时。</Descriptions.Item>
        </Descriptions>
      </Form>
    </Modal>
  );
}
