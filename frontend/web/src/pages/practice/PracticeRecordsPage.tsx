import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { TableProps } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import {
  PracticeEvidenceUploadRequestDocument,
  PracticeRecordCreateDocument,
  PracticeRecordSubmitDocument,
  PracticeRecordUpdateDocument,
  PracticeRecordsDocument,
} from '../../gql/graphql';
import type { PracticeKind, PracticeRecordStatus } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import type { PayloadError } from '../../forms/formErrors';
import { formatChineseDate } from '../../education/helpers';
import { IMAGES_AND_PDF, UploadProgress, acceptOf, step, useUpload, useUploadConfirm } from '../../uploads';
import { KINDS_WITH_FINDINGS, PRACTICE_ERROR_MESSAGES, PRACTICE_KIND_LABELS, RECORD_STATUS_LABELS } from '../../practice/labels';
import { RECORD_FORM_FIELDS, recordInput } from '../../practice/helpers';
import { EvaluationHistory, RecordDescriptions, RecordStatusTag } from './RecordDetails';
import type { PracticeRecordRow } from './RecordDetails';


const STATUS_OPTIONS = (Object.keys(RECORD_STATUS_LABELS) as PracticeRecordStatus[]).map((value) => ({
  value,
  label: RECORD_STATUS_LABELS[value],
}));
const KIND_OPTIONS = (Object.keys(PRACTICE_KIND_LABELS) as PracticeKind[]).map((value) => ({
  value,
  label: PRACTICE_KIND_LABELS[value],
}));

interface FormValues {
  kind: PracticeKind;
  project: string;
  role: string;
  startedOn: Dayjs;
  endedOn: Dayjs;
  hazardsFound?: number | null;
  hazardsRectified?: number | null;
  description?: string;
  clientName?: string;
  clientCreditCode?: string;
}

function toInput(values: FormValues) {
  return recordInput({
    ...values,
    startedOn: values.startedOn.format('YYYY-MM-DD'),
    endedOn: values.endedOn.format('YYYY-MM-DD'),
  });
}

/** The create / edit form in a modal; on success hands the saved record back. */
function RecordFormModal({
  open,
  record,
  onClose,
  onSaved,
}: {
  open: boolean;
  record: PracticeRecordRow | null;
  onClose: () => void;
  onSaved: (record: PracticeRecordRow) => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching: creating }, create] = useMutation(PracticeRecordCreateDocument);
  const [{ fetching: updating }, update] = useMutation(PracticeRecordUpdateDocument);
  const kind = Form.useWatch('kind', form);

  const showErrors = (errors: readonly PayloadError[]) => {
    const { fields, messages } = formErrors<FormValues>(errors, {
      fields: RECORD_FORM_FIELDS,
      messages: PRACTICE_ERROR_MESSAGES,
    });
    form.setFields(fields);
    setAlerts(messages);
  };

  const submit = async (values: FormValues) => {
    setAlerts([]);
    const input = toInput(values);
    const result = record
      ? await update({ id: record.id, expectedVersion: record.version, input })
      : await create({ input });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data && ('practiceRecordCreate' in result.data ? result.data.practiceRecordCreate : result.data.practiceRecordUpdate);
    if (!payload) return;
    if (payload.errors.length > 0) {
      showErrors(payload.errors);
      return;
    }
    if (payload.record) onSaved(payload.record);
  };

  return (
    <Modal
      open={open}
      title={record ? '修改执业记录' : '新建执业记录'}
      okText="保存"
      cancelText="取消"
      width={720}
      confirmLoading={creating || updating}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (visible && record) {
          form.setFieldsValue({
            kind: record.kind,
            startedOn: dayjs(record.startedOn),
            endedOn: dayjs(record.endedOn),
            project: record.project,
            role: record.role,
            hazardsFound: record.hazardsFound,
            hazardsRectified: record.hazardsRectified,
            description: record.description,
            clientName: record.clientName ?? undefined,
            clientCreditCode: record.clientCreditCode ?? undefined,
          });
        }
      }}
    >
      <Space orientation="vertical" className="full-width">
        {alerts.map((text) => (
          <Alert key={text} type="error" showIcon title={text} />
        ))}
        <Form<FormValues> form={form} layout="vertical" onFinish={submit} preserve={false} name="practice-record">
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="kind" label="执业类型" rules={[{ required: true, message: '请选择执业类型' }]}>
                <Select<PracticeKind> options={KIND_OPTIONS} placeholder="请选择" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="role" label="承担角色" rules={[{ required: true, whitespace: true, message: '请填写承担的角色' }]}>
                <Input maxLength={100} placeholder="如：项目负责人、检查组成员" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="project"
            label="项目/服务单位"
            rules={[{ required: true, whitespace: true, message: '请填写项目或服务的单位' }]}
          >
            <Input maxLength={200} placeholder="如：2026年第四季度储罐区隐患排查" />
          </Form.Item>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="startedOn" label="开始日期" rules={[{ required: true, message: '请选择开始日期' }]}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="endedOn" label="结束日期" rules={[{ required: true, message: '请选择结束日期' }]}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          {kind && KINDS_WITH_FINDINGS.has(kind) ? (
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="hazardsFound" label="发现隐患（项）">
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="hazardsRectified" label="已整改隐患（项）">
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
          ) : null}
          <Form.Item name="description" label="工作内容">
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
          <Typography.Text type="secondary">安全生产服务机构人员须填写委托单位及其统一社会信用代码；生产经营单位人员不填。</Typography.Text>
          <Row gutter={16} style={{ marginTop: 8 }}>
            <Col span={12}>
              <Form.Item name="clientName" label="委托单位">
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="clientCreditCode" label="委托单位统一社会信用代码">
                <Input maxLength={18} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Space>
    </Modal>
  );
}

/** Evidence upload: request → PUT to the slot's presigned URL → uploadConfirm (the server
 * sniffs the bytes and attaches them to the record); the page then reloads the record. */
function EvidenceUpload({ record, onAttached }: { record: PracticeRecordRow; onAttached: () => void }) {
  const { message } = App.useApp();
  const [, request] = useMutation(PracticeEvidenceUploadRequestDocument);
  const confirmUpload = useUploadConfirm();
  const upload = useUpload({
    limits: IMAGES_AND_PDF,
    request: async (file, contentType) =>
      step(
        await request({ recordId: record.id, size: file.size, contentType, filename: file.name }),
        (data) => data.practiceEvidenceUploadRequest,
        (t) => (t.upload?.url ? { url: t.upload.url, uploadId: t.upload.id } : null),
      ),
    confirm: (slot) => confirmUpload(slot.uploadId),
    onDone: ({ file }) => {
      message.success(`已上传 ${file.name}`);
      onAttached();
    },
  });

  return (
    <Space orientation="vertical" className="full-width">
      <label htmlFor={`evidence-${record.id}`}>上传证明材料（JPEG、PNG 或 PDF）</label>
      <input
        id={`evidence-${record.id}`}
        type="file"
        aria-label="上传证明材料"
        accept={acceptOf(IMAGES_AND_PDF)}
        disabled={upload.busy}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void upload.start(file);
        }}
      />
      <UploadProgress upload={upload} label="上传进度" />
    </Space>
  );
}

/** 执业记录 (engineer): my records by status; create, attach evidence, submit. */
export function PracticeRecordsPage() {
  const { message } = App.useApp();
  const [search, setSearch] = useSearchParams();
  const [status, setStatus] = useState<PracticeRecordStatus | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const [{ data, error, fetching }, refetch] = useQuery({
    query: PracticeRecordsDocument,
    variables: { filter: status ? { status } : null, after },
    requestPolicy: 'cache-and-network',
  });
  const page = data?.practiceRecords;
  const records = useMemo(() => page?.edges.map((e) => e.node) ?? [], [page]);
  const [editing, setEditing] = useState<{ record: PracticeRecordRow | null } | null>(null);
  const [opened, setOpened] = useState<PracticeRecordRow | null>(null);
  const [submitErrors, setSubmitErrors] = useState<string[]>([]);
  const [{ fetching: submitting }, submitRecord] = useMutation(PracticeRecordSubmitDocument);

  // ?record=<id> (links from 信用画像) opens that record.
  const wanted = search.get('record');
  useEffect(() => {
    if (!wanted) return;
    const found = records.find((r) => r.id === wanted);
    if (found) setOpened(found);
  }, [wanted, records]);

  const current = opened ? (records.find((r) => r.id === opened.id) ?? opened) : null;

  const close = () => {
    setOpened(null);
    setSubmitErrors([]);
    if (wanted) setSearch({}, { replace: true });
  };

  const submit = async (record: PracticeRecordRow) => {
    setSubmitErrors([]);
    const result = await submitRecord({ id: record.id, expectedVersion: record.version });
    if (result.error) {
      setSubmitErrors([describeError(result.error)]);
      return;
    }
    const payload = result.data?.practiceRecordSubmit;
    if (!payload) return;
    if (payload.errors.length > 0) {
      setSubmitErrors(formErrors(payload.errors, { fields: [], messages: PRACTICE_ERROR_MESSAGES }).messages);
      return;
    }
    message.success('执业记录已提交，等待单位确认和评价');
    if (payload.record) setOpened(payload.record);
    refetch({ requestPolicy: 'network-only' });
  };

  const columns: TableProps<PracticeRecordRow>['columns'] = [
    { key: 'kind', title: '执业类型', render: (_, r) => PRACTICE_KIND_LABELS[r.kind] },
    {
      key: 'project',
      title: '项目/服务单位',
      render: (_, r) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => setOpened(r)}>
          {r.project}
        </Button>
      ),
    },
    { key: 'role', title: '角色', render: (_, r) => r.role },
    {
      key: 'dates',
      title: '起止日期',
      render: (_, r) => `${formatChineseDate(r.startedOn)}至${formatChineseDate(r.endedOn)}`,
    },
    { key: 'evidence', title: '证明材料', render: (_, r) => `${r.evidence.length} 份` },
    { key: 'status', title: '状态', render: (_, r) => <RecordStatusTag status={r.status} /> },
    {
      key: 'evaluation',
      title: '评价',
      render: (_, r) => (r.evaluation ? `平均 ${r.evaluation.average.toFixed(2)} 分` : '—'),
    },
  ];

  return (
    <PageContainer
      title="执业记录"
      description="记录本人在注册有效期内为注册单位（或服务机构的委托单位）开展的安全生产专业工作；提交后由单位确认和评价，计入信用分。"
      extra={
        <Button type="primary" onClick={() => setEditing({ record: null })}>
          新建执业记录
        </Button>
      }
    >
      <Space orientation="vertical" size="large" className="full-width">
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        <Card>
          <Flex gap={16} align="center" wrap style={{ marginBottom: 16 }}>
            <label htmlFor="practice-status-filter">记录状态</label>
            <Select<PracticeRecordStatus>
              id="practice-status-filter"
              aria-label="记录状态"
              allowClear
              placeholder="全部状态"
              style={{ width: 180 }}
              value={status ?? undefined}
              options={STATUS_OPTIONS}
              onChange={(value) => {
                setStatus(value ?? null);
                setCursors([null]);
              }}
            />
            {page ? <Typography.Text type="secondary">共 {page.totalCount} 条</Typography.Text> : null}
          </Flex>
          <Table<PracticeRecordRow>
            rowKey="id"
            size="small"
            loading={fetching}
            pagination={false}
            columns={columns}
            dataSource={records}
            locale={{ emptyText: '暂无执业记录' }}
            aria-label="执业记录列表"
          />
          <Flex justify="flex-end" gap={8} style={{ marginTop: 16 }}>
            <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              上一页
            </Button>
            <Button
              disabled={!page?.pageInfo.hasNextPage}
              onClick={() => setCursors((c) => [...c, page?.pageInfo.endCursor ?? null])}
            >
              下一页
            </Button>
          </Flex>
        </Card>
      </Space>

      <RecordFormModal
        open={editing !== null}
        record={editing?.record ?? null}
        onClose={() => setEditing(null)}
        onSaved={(record) => {
          setEditing(null);
          message.success('执业记录已保存为草稿，可上传证明材料后提交');
          setOpened(record);
          refetch({ requestPolicy: 'network-only' });
        }}
      />

      <Drawer
        open={current !== null}
        onClose={close}
        size={720}
        title={current ? `${PRACTICE_KIND_LABELS[current.kind]}：${current.project}` : ''}
        destroyOnHidden
      >
        {current ? (
          <Space orientation="vertical" size="large" className="full-width">
            {submitErrors.map((text) => (
              <Alert key={text} type="error" showIcon title={text} />
            ))}
            <RecordDescriptions record={current} />
            {current.status === 'DRAFT' || current.status === 'REJECTED' ? (
              <EvidenceUpload record={current} onAttached={() => refetch({ requestPolicy: 'network-only' })} />
            ) : null}
            <Space wrap>
              {current.status === 'DRAFT' ? (
                <Button type="primary" loading={submitting} onClick={() => void submit(current)}>
                  提交确认
                </Button>
              ) : null}
              {current.status === 'DRAFT' || current.status === 'REJECTED' ? (
                <Button onClick={() => setEditing({ record: current })}>修改</Button>
              ) : null}
            </Space>
            <div>
              <Typography.Title level={5}>单位评价</Typography.Title>
              <EvaluationHistory evaluations={current.evaluations} />
            </div>
          </Space>
        ) : null}
      </Drawer>
    </PageContainer>
  );
}
