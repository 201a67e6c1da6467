import { useMemo, useState } from 'react';
import { useLocation } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import {
  BlacklistDocument,
  BlacklistEntryCreateDocument,
  BlacklistEntryRemoveDocument,
  CreditDisputeDecideDocument,
  CreditDisputesDocument,
  CreditEventEnterDocument,
  CreditEventWithdrawDocument,
  CreditEventsDocument,
  CreditEvidenceUploadRequestDocument,
  CreditPersonSearchDocument,
} from '../../gql/graphql';
import { IMAGES_AND_PDF, acceptOf, step, useUpload, useUploadConfirm } from '../../uploads';
import type { BlacklistQuery, CreditDisputesQuery, CreditEventKind, CreditEventsQuery } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import type { PayloadError } from '../../forms/formErrors';
import { formatChineseDate } from '../../education/helpers';
import { formatChineseDay } from '../../certificates/helpers';
import {
  CREDIT_EVENT_KIND_LABELS,
  CREDIT_EVENT_POINTS,
  CREDIT_EVENT_STATUS_LABELS,
  DISPUTE_STATUS_COLORS,
  DISPUTE_STATUS_LABELS,
  PRACTICE_ERROR_MESSAGES,
} from '../../practice/labels';
import { formatPoints } from '../../practice/helpers';
import { labelOf } from '../../labels/enums';

type EventRow = CreditEventsQuery['creditEvents']['edges'][number]['node'];
type DisputeRow = CreditDisputesQuery['creditDisputes']['edges'][number]['node'];
type EntryRow = BlacklistQuery['blacklist']['edges'][number]['node'];


const KIND_OPTIONS = (Object.keys(CREDIT_EVENT_KIND_LABELS) as CreditEventKind[]).map((value) => ({
  value,
  label: `${CREDIT_EVENT_KIND_LABELS[value]}（${formatPoints(CREDIT_EVENT_POINTS[value])}）`,
}));

/** Pick a person by name prefix (人员查询). */
function PersonSelect({ value, onChange, id }: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const [prefix, setPrefix] = useState('');
  const [{ data, fetching }] = useQuery({
    query: CreditPersonSearchDocument,
    variables: { namePrefix: prefix },
    pause: prefix.trim().length === 0,
  });
  const options = data?.persons.edges.map(({ node }) => ({ value: node.id, label: `${node.name}（${node.idNumberMasked}）` })) ?? [];
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setPrefix }}
      value={value}
      onChange={onChange}
      loading={fetching}
      options={options}
      placeholder="输入姓名查找"
      notFoundContent={prefix ? '未找到' : '请输入姓名'}
    />
  );
}

/** Runs a payload mutation's result through formErrors; returns true on success. */
function usePayload<V>(form: ReturnType<typeof Form.useForm<V>>[0], fields: readonly string[], setAlerts: (a: string[]) => void) {
  return (errors: readonly PayloadError[]): boolean => {
    if (errors.length === 0) return true;
    const result = formErrors<V>(errors, { fields, messages: PRACTICE_ERROR_MESSAGES });
    form.setFields(result.fields);
    setAlerts(result.messages);
    return false;
  };
}

interface EventValues {
  personId: string;
  kind: CreditEventKind;
  source: string;
  authority: string;
  occurredOn: Dayjs;
  description?: string;
}

function EventsTab() {
  const { message } = App.useApp();
  const [form] = Form.useForm<EventValues>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [entering, setEntering] = useState(false);
  const [withdrawing, setWithdrawing] = useState<EventRow | null>(null);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: CreditEventsDocument,
    variables: {},
    requestPolicy: 'cache-and-network',
  });
  const [{ fetching: saving }, enter] = useMutation(CreditEventEnterDocument);
  const [, withdraw] = useMutation(CreditEventWithdrawDocument);
  const [, requestEvidence] = useMutation(CreditEvidenceUploadRequestDocument);
  const confirmUpload = useUploadConfirm();
  // 证明材料: uploaded straight to the object store and confirmed; the slot goes with the event.
  const [evidence, setEvidence] = useState<{ uploadId: string; name: string } | null>(null);
  const upload = useUpload({
    limits: IMAGES_AND_PDF,
    request: async (file, contentType) =>
      step(
        await requestEvidence({ size: file.size, contentType, filename: file.name }),
        (data) => data.creditEvidenceUploadRequest,
        (t) => (t.upload?.url ? { url: t.upload.url, uploadId: t.upload.id } : null),
      ),
    confirm: (slot) => confirmUpload(slot.uploadId),
    onDone: ({ slot, file }) => setEvidence({ uploadId: slot.uploadId, name: file.name }),
    onFailed: (failure) => setAlerts([failure.message]),
  });
  const uploading = upload.state.phase === 'uploading' ? upload.state.percent : upload.busy ? 0 : null;

  const pick = (file: File) => {
    setAlerts([]);
    setEvidence(null);
    void upload.start(file);
  };
  const check = usePayload<EventValues>(form, ['personId', 'kind', 'source', 'authority', 'occurredOn', 'description'], setAlerts);

  const finish = async (values: EventValues) => {
    setAlerts([]);
    const result = await enter({
      input: {
        personId: values.personId,
        kind: values.kind,
        source: values.source.trim(),
        authority: values.authority.trim(),
        occurredOn: values.occurredOn.format('YYYY-MM-DD'),
        description: (values.description ?? '').trim(),
        evidenceUploadId: evidence?.uploadId ?? null,
      },
    });
    if (result.error) return setAlerts([describeError(result.error)]);
    const payload = result.data?.creditEventEnter;
    if (!payload) return;
    if (payload.errors.some((e) => e.code === 'UPLOAD_MISSING' || e.code === 'UPLOAD_ALREADY_USED')) {
      // The slot cannot go with an event any more: the file has to be chosen again.
      upload.reset();
      setEvidence(null);
    }
    if (!check(payload.errors)) return;
    message.success('信用事件已登记');
    upload.reset();
    setEvidence(null);
    setEntering(false);
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <Space orientation="vertical" className="full-width">
      {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary">须注明来源文书和作出决定的机关；录入人及其角色、省份随事件保存。</Typography.Text>
        <Button type="primary" onClick={() => setEntering(true)}>
          登记信用事件
        </Button>
      </Flex>
      <Table<EventRow>
        rowKey="id"
        size="small"
        loading={fetching}
        pagination={false}
        aria-label="信用事件列表"
        dataSource={data?.creditEvents.edges.map((e) => e.node) ?? []}
        locale={{ emptyText: '暂无信用事件' }}
        columns={[
          { key: 'person', title: '人员', render: (_, e) => e.personName },
          { key: 'kind', title: '类型', render: (_, e) => CREDIT_EVENT_KIND_LABELS[e.kind] },
          { key: 'date', title: '发生日期', render: (_, e) => formatChineseDate(e.occurredOn) },
          { key: 'source', title: '来源文书', render: (_, e) => e.source },
          { key: 'authority', title: '决定机关', render: (_, e) => e.authority },
          { key: 'by', title: '录入', render: (_, e) => `${e.enteredByName ?? '—'}（${labelOf('Role', e.enteredRole)}）` },
          {
            key: 'status',
            title: '状态',
            render: (_, e) => (
              <Space orientation="vertical" size={0}>
                <span>{CREDIT_EVENT_STATUS_LABELS[e.status]}</span>
                {e.withdrawReason ? <Typography.Text type="secondary">{e.withdrawReason}</Typography.Text> : null}
                {e.disputes.map((d) => (
                  <Tag key={d.id} color={DISPUTE_STATUS_COLORS[d.status]}>
                    异议{DISPUTE_STATUS_LABELS[d.status]}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            key: 'action',
            title: '操作',
            render: (_, e) =>
              e.status === 'ACTIVE' ? (
                <Button size="small" danger onClick={() => setWithdrawing(e)}>
                  撤回
                </Button>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <Modal
        open={entering}
        title="登记信用事件"
        okText="登记"
        cancelText="取消"
        confirmLoading={saving}
        // An event entered mid-upload would go without its evidence.
        okButtonProps={{ disabled: upload.busy }}
        onOk={() => form.submit()}
        onCancel={() => {
          // The hook lives outside the modal: drop an upload in flight and the evidence,
          // so the next event does not carry this one's file.
          upload.reset();
          setEvidence(null);
          setEntering(false);
        }}
        destroyOnHidden
      >
        {alerts.map((text) => (
          <Alert key={text} type="error" showIcon title={text} style={{ marginBottom: 8 }} />
        ))}
        <Form<EventValues> form={form} layout="vertical" onFinish={finish} preserve={false}>
          <Form.Item name="personId" label="人员" rules={[{ required: true, message: '请选择人员' }]}>
            <PersonSelect />
          </Form.Item>
          <Form.Item name="kind" label="事件类型" rules={[{ required: true, message: '请选择事件类型' }]}>
            <Select options={KIND_OPTIONS} />
          </Form.Item>
          <Form.Item name="source" label="来源文书" rules={[{ required: true, whitespace: true, message: '请填写来源文书（文号）' }]}>
            <Input maxLength={200} placeholder="如：粤应急罚〔2026〕12号" />
          </Form.Item>
          <Form.Item name="authority" label="决定机关" rules={[{ required: true, whitespace: true, message: '请填写作出决定的机关' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="occurredOn" label="发生日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="description" label="说明">
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          <Form.Item label="证明材料（JPEG、PNG 或 PDF，可选）">
            <Space>
              <Upload
                accept={acceptOf(IMAGES_AND_PDF)}
                showUploadList={false}
                disabled={upload.busy}
                beforeUpload={(file) => {
                  pick(file);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={uploading !== null}>
                  {uploading !== null ? `上传中 ${uploading}%` : '选择文件'}
                </Button>
              </Upload>
              {upload.state.phase === 'requesting' || upload.state.phase === 'uploading' ? (
                <Button type="link" onClick={upload.cancel}>
                  取消
                </Button>
              ) : null}
              {evidence ? <Typography.Text type="success">已上传：{evidence.name}</Typography.Text> : null}
            </Space>
          </Form.Item>
        </Form>
      </Modal>
      <ReasonModal
        open={withdrawing !== null}
        title="撤回信用事件（录入错误）"
        label="撤回理由"
        onClose={() => setWithdrawing(null)}
        run={async (reason) => {
          if (!withdrawing) return [];
          const result = await withdraw({ id: withdrawing.id, reason });
          if (result.error) return [describeError(result.error)];
          const errors = result.data?.creditEventWithdraw.errors ?? [];
          if (errors.length === 0) {
            message.success('信用事件已撤回');
            setWithdrawing(null);
            refetch({ requestPolicy: 'network-only' });
          }
          return formErrors(errors, { fields: [], messages: PRACTICE_ERROR_MESSAGES }).messages;
        }}
      />
    </Space>
  );
}

/** A modal asking one reason text; `run` returns the errors to show (none closes). */
function ReasonModal({
  open,
  title,
  label,
  onClose,
  run,
  okText = '确定',
}: {
  open: boolean;
  title: string;
  label: string;
  onClose: () => void;
  run: (reason: string) => Promise<string[]>;
  okText?: string;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {alerts.map((text) => (
        <Alert key={text} type="error" showIcon title={text} style={{ marginBottom: 8 }} />
      ))}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async ({ reason }) => {
          setBusy(true);
          setAlerts(await run(reason.trim()));
          setBusy(false);
        }}
      >
        <Form.Item name="reason" label={label} rules={[{ required: true, whitespace: true, message: `请填写${label}` }]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DisputesTab() {
  const { message } = App.useApp();
  const [status, setStatus] = useState<'OPEN' | 'UPHELD' | 'REJECTED'>('OPEN');
  const [deciding, setDeciding] = useState<{ dispute: DisputeRow; uphold: boolean } | null>(null);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: CreditDisputesDocument,
    variables: { filter: { status }, },
    requestPolicy: 'cache-and-network',
  });
  const [, decide] = useMutation(CreditDisputeDecideDocument);
  return (
    <Space orientation="vertical" className="full-width">
      {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
      <Flex gap={16} align="center">
        <label htmlFor="dispute-status-filter">异议状态</label>
        <Select
          id="dispute-status-filter"
          aria-label="异议状态"
          style={{ width: 160 }}
          value={status}
          onChange={setStatus}
          options={(['OPEN', 'UPHELD', 'REJECTED'] as const).map((v) => ({ value: v, label: DISPUTE_STATUS_LABELS[v] }))}
        />
        <Typography.Text type="secondary">待处理的异议不含本人录入的事件：须由录入人以外的审核人员决定。</Typography.Text>
      </Flex>
      <Table<DisputeRow>
        rowKey="id"
        size="small"
        loading={fetching}
        pagination={false}
        aria-label="异议列表"
        dataSource={data?.creditDisputes.edges.map((e) => e.node) ?? []}
        locale={{ emptyText: '暂无异议' }}
        columns={[
          { key: 'person', title: '申请人', render: (_, d) => d.personName },
          {
            key: 'event',
            title: '信用事件',
            render: (_, d) =>
              d.event ? `${CREDIT_EVENT_KIND_LABELS[d.event.kind]}：${d.event.source}（${d.event.authority}，录入 ${d.event.enteredByName ?? '—'}）` : '—',
          },
          { key: 'reason', title: '异议理由', render: (_, d) => d.reason },
          { key: 'opened', title: '提出时间', render: (_, d) => formatChineseDay(d.openedAt) },
          {
            key: 'status',
            title: '状态',
            render: (_, d) => (
              <Space orientation="vertical" size={0}>
                <Tag color={DISPUTE_STATUS_COLORS[d.status]}>{DISPUTE_STATUS_LABELS[d.status]}</Tag>
                {d.decisionNote ? <Typography.Text type="secondary">{d.decidedByName}：{d.decisionNote}</Typography.Text> : null}
              </Space>
            ),
          },
          {
            key: 'action',
            title: '操作',
            render: (_, d) =>
              d.status === 'OPEN' ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => setDeciding({ dispute: d, uphold: true })}>
                    异议成立
                  </Button>
                  <Button size="small" danger onClick={() => setDeciding({ dispute: d, uphold: false })}>
                    异议不成立
                  </Button>
                </Space>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <ReasonModal
        open={deciding !== null}
        title={deciding?.uphold ? '异议成立：该事件不再计分' : '异议不成立：该事件继续有效'}
        label="处理意见"
        onClose={() => setDeciding(null)}
        run={async (note) => {
          if (!deciding) return [];
          const result = await decide({ id: deciding.dispute.id, uphold: deciding.uphold, note });
          if (result.error) return [describeError(result.error)];
          const errors = result.data?.creditDisputeDecide.errors ?? [];
          if (errors.length === 0) {
            message.success('异议已处理');
            setDeciding(null);
            refetch({ requestPolicy: 'network-only' });
          }
          return formErrors(errors, { fields: [], messages: PRACTICE_ERROR_MESSAGES }).messages;
        }}
      />
    </Space>
  );
}

interface EntryValues {
  personId: string;
  grounds: string;
  decisionRef: string;
  authority: string;
  listedOn: Dayjs;
}

function BlacklistTab() {
  const { message } = App.useApp();
  const [form] = Form.useForm<EntryValues>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [currentOnly, setCurrentOnly] = useState(true);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<EntryRow | null>(null);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: BlacklistDocument,
    variables: { filter: currentOnly ? { current: true } : null, },
    requestPolicy: 'cache-and-network',
  });
  const [{ fetching: saving }, create] = useMutation(BlacklistEntryCreateDocument);
  const [, remove] = useMutation(BlacklistEntryRemoveDocument);
  const check = usePayload<EntryValues>(form, ['personId', 'grounds', 'decisionRef', 'authority', 'listedOn'], setAlerts);
  const rows = useMemo(() => data?.blacklist.edges.map((e) => e.node) ?? [], [data]);

  const finish = async (values: EntryValues) => {
    setAlerts([]);
    const result = await create({
      input: {
        personId: values.personId,
        grounds: values.grounds.trim(),
        decisionRef: values.decisionRef.trim(),
        authority: values.authority.trim(),
        listedOn: values.listedOn.format('YYYY-MM-DD'),
      },
    });
    if (result.error) return setAlerts([describeError(result.error)]);
    const payload = result.data?.blacklistEntryCreate;
    if (!payload || !check(payload.errors)) return;
    message.success('已列入失信名单');
    setAdding(false);
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <Space orientation="vertical" className="full-width">
      {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space>
          <Switch checked={currentOnly} onChange={setCurrentOnly} aria-label="只看在列" />
          <span>只看在列</span>
          <Typography.Text type="secondary">依据应急管理部令第11号：默认列入3年，满12个月后可申请移出；在列期间不能申请注册。</Typography.Text>
        </Space>
        <Button type="primary" danger onClick={() => setAdding(true)}>
          列入失信名单
        </Button>
      </Flex>
      <Table<EntryRow>
        rowKey="id"
        size="small"
        loading={fetching}
        pagination={false}
        aria-label="失信名单"
        dataSource={rows}
        locale={{ emptyText: '暂无记录' }}
        columns={[
          { key: 'person', title: '人员', render: (_, e) => e.personName },
          { key: 'grounds', title: '列入事由', render: (_, e) => e.grounds },
          { key: 'ref', title: '决定文书', render: (_, e) => `${e.decisionRef}（${e.authority}）` },
          {
            key: 'period',
            title: '期间',
            render: (_, e) => `${formatChineseDate(e.listedOn)}至${formatChineseDate(e.expiresOn)}`,
          },
          {
            key: 'status',
            title: '状态',
            render: (_, e) => (
              <Space orientation="vertical" size={0}>
                {e.current ? <Tag color="error">在列</Tag> : <Tag>已移出或期满</Tag>}
                {e.removalRequestedAt ? (
                  <Typography.Text type="secondary">
                    {formatChineseDay(e.removalRequestedAt)} 申请移出：{e.removalRequestNote}
                  </Typography.Text>
                ) : null}
                {e.removedAt ? (
                  <Typography.Text type="secondary">
                    {formatChineseDay(e.removedAt)} 移出：{e.removalReason}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            key: 'action',
            title: '操作',
            render: (_, e) =>
              e.current ? (
                <Button size="small" onClick={() => setRemoving(e)}>
                  移出
                </Button>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <Modal
        open={adding}
        title="列入失信名单"
        okText="列入"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setAdding(false)}
        destroyOnHidden
      >
        {alerts.map((text) => (
          <Alert key={text} type="error" showIcon title={text} style={{ marginBottom: 8 }} />
        ))}
        <Form<EntryValues> form={form} layout="vertical" onFinish={finish} preserve={false}>
          <Form.Item name="personId" label="人员" rules={[{ required: true, message: '请选择人员' }]}>
            <PersonSelect />
          </Form.Item>
          <Form.Item name="grounds" label="列入事由" rules={[{ required: true, whitespace: true, message: '请填写列入事由' }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          <Form.Item name="decisionRef" label="决定文书文号" rules={[{ required: true, whitespace: true, message: '请填写决定文书文号' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="authority" label="决定机关" rules={[{ required: true, whitespace: true, message: '请填写决定机关' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="listedOn" label="列入日期" rules={[{ required: true, message: '请选择列入日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
      <ReasonModal
        open={removing !== null}
        title={removing ? `将 ${removing.personName} 移出失信名单` : ''}
        label="移出理由"
        onClose={() => setRemoving(null)}
        run={async (reason) => {
          if (!removing) return [];
          const result = await remove({ id: removing.id, reason });
          if (result.error) return [describeError(result.error)];
          const errors = result.data?.blacklistEntryRemove.errors ?? [];
          if (errors.length === 0) {
            message.success('已移出失信名单');
            setRemoving(null);
            refetch({ requestPolicy: 'network-only' });
          }
          return formErrors(errors, { fields: [], messages: PRACTICE_ERROR_MESSAGES }).messages;
        }}
      />
    </Space>
  );
}

/** 信用管理 (reviewers, admins): credit events with authority, disputes, 失信名单. */
export function CreditAdminPage() {
  // One page under three menus (省级 /review, 部级 /ministry, 系统管理 /admin): the
  // province-scope note is for the provincial reviewers' copy only.
  const { pathname } = useLocation();
  const scopeNote = pathname.startsWith('/review/') ? '省级审核人员只能处理本省人员。' : '';
  return (
    <PageContainer title="信用管理" description={`登记信用事件、处理异议、维护严重失信主体名单。${scopeNote}`}>
      <Card>
        <Tabs
          items={[
            { key: 'events', label: '信用事件', children: <EventsTab /> },
            { key: 'disputes', label: '异议处理', children: <DisputesTab /> },
            { key: 'blacklist', label: '失信名单', children: <BlacklistTab /> },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
