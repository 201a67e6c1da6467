/**
 * 本单位人员 (employer admin): the unit's current staff with registration, certificate,
 * continuing-education hours and credit grade at a glance; filters; a CSV export of the
 * filtered list; 聘用邀请 by ID number; 结束聘用.
 */
import { useEffect, useMemo, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableProps } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type { EmployerInvitationsQuery, EmployerStaffQuery } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import { SPECIALTY_LABELS } from '../../registration/labels';
import { gradeColour } from '../../practice/helpers';
import {
  EmployerInvitationsQuery as InvitationsDocument,
  EmployerStaffQuery as StaffDocument,
  EmploymentEndMutation,
  EmploymentInviteMutation,
} from './operations';
import {
  EMPTY_FILTERS,
  HOURS_FILTER_OPTIONS,
  INVITATION_STATUS_COLORS,
  EMPLOYMENT_INVITATION_STATUS_LABELS,
  REGISTRATION_FILTER_OPTIONS,
  buildStaffCsv,
  chineseDate,
  collectAll,
  csvFileName,
  gradeText,
  hasClientFilters,
  idNumberProblem,
  matchesClientFilters,
  shanghaiToday,
  summariseCertificate,
  summariseHours,
  summariseRegistration,
  toPersonFilter,
} from './staff';
import type { HoursFilter, RegistrationFilter, StaffFilters, Summary, Tone } from './staff';

type Row = EmployerStaffQuery['persons']['edges'][number]['node'];
type Invitation = EmployerInvitationsQuery['employmentInvitations']['edges'][number]['node'];

export const PAGE_SIZE = 20;
/** The page size used when every page is fetched (export, client-side filters). */
export const FETCH_ALL_SIZE = 100;

const TONE_COLORS: Readonly<Record<Tone, string>> = {
  success: 'success',
  warning: 'warning',
  error: 'error',
  default: 'default',
};

function SummaryCell({ summary, testId }: { summary: Summary; testId?: string }) {
  return (
    <Space orientation="vertical" size={0} data-testid={testId}>
      <Tag color={TONE_COLORS[summary.tone]}>{summary.label}</Tag>
      {summary.detail ? <Typography.Text type="secondary">{summary.detail}</Typography.Text> : null}
    </Space>
  );
}

/** Offers the text as a file download (the CSV export). */
function download(text: string, fileName: string) {
  const blob = new Blob([text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Late enough for the browser to have read the blob.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Every staff member matching the filters, paging through the connection. */
function useFetchAll() {
  const client = useClient();
  return (filters: StaffFilters): Promise<Row[]> =>
    collectAll(async (after) => {
      const result = await client
        .query(StaffDocument, { filter: toPersonFilter(filters), first: FETCH_ALL_SIZE, after }, { requestPolicy: 'network-only' })
        .toPromise();
      if (result.error) throw new Error(describeError(result.error));
      const page = result.data?.persons;
      return {
        items: (page?.edges.map((e) => e.node) ?? []).filter((r) => matchesClientFilters(r, filters)),
        hasNextPage: page?.pageInfo.hasNextPage ?? false,
        endCursor: page?.pageInfo.endCursor ?? null,
      };
    });
}

// ── 聘用邀请 ────────────────────────────────────────────────────────────────────────

interface InviteValues {
  idNumber: string;
  startsOn: Dayjs;
  socialInsurance: boolean;
}

const INVITE_MESSAGES: Readonly<Record<string, string>> = {
  NOT_PERMITTED: '只有本单位管理员可以发出聘用邀请',
};

function InviteModal({ open, onClose }: { open: boolean; onClose: (sent: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<InviteValues>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching }, invite] = useMutation(EmploymentInviteMutation);
  const today = shanghaiToday();

  useEffect(() => {
    if (open) {
      setAlerts([]);
      form.resetFields();
    }
  }, [open, form]);

  const submit = async (values: InviteValues) => {
    setAlerts([]);
    const result = await invite({
      input: {
        idNumber: values.idNumber.trim().toUpperCase(),
        startsOn: values.startsOn.format('YYYY-MM-DD'),
        socialInsurance: values.socialInsurance,
      },
    });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data?.employmentInvite;
    if (payload && payload.errors.length === 0) {
      message.success('聘用邀请已发出，本人确认后将列入本单位人员');
      onClose(true);
      return;
    }
    const { fields, messages } = formErrors<InviteValues>(payload?.errors ?? [], {
      fields: ['idNumber', 'startsOn', 'socialInsurance'],
      messages: INVITE_MESSAGES,
    });
    form.setFields(fields);
    setAlerts(messages);
  };

  return (
    <Modal
      open={open}
      title="发出聘用邀请"
      okText="发出邀请"
      cancelText="取消"
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Space orientation="vertical" className="full-width">
        <Typography.Text type="secondary">
          按身份证号码邀请人员受聘于本单位。本人确认（或所在省审核人员代为确认）后，聘用关系生效并列入本单位人员；
          对方答复前，本单位看不到其任何信息。
        </Typography.Text>
        {alerts.map((text) => (
          <Alert key={text} type="error" showIcon title={text} />
        ))}
        <Form<InviteValues>
          form={form}
          layout="vertical"
          initialValues={{ idNumber: '', startsOn: dayjs(today), socialInsurance: true }}
          onFinish={(values) => void submit(values)}
        >
          <Form.Item
            name="idNumber"
            label="身份证号码"
            rules={[
              {
                validator: (_, value: string | undefined) => {
                  const problem = idNumberProblem(value ?? '');
                  return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
                },
              },
            ]}
          >
            <Input maxLength={18} autoComplete="off" placeholder="18位身份证号码" />
          </Form.Item>
          <Form.Item name="startsOn" label="聘用开始日期" rules={[{ required: true, message: '请选择聘用开始日期' }]}>
            <DatePicker
              style={{ width: '100%' }}
              format="YYYY-MM-DD"
              disabledDate={(d) => d.format('YYYY-MM-DD') > today}
            />
          </Form.Item>
          <Form.Item name="socialInsurance" valuePropName="checked">
            <Checkbox>社保由本单位缴纳</Checkbox>
          </Form.Item>
        </Form>
      </Space>
    </Modal>
  );
}

// ── 结束聘用 ────────────────────────────────────────────────────────────────────────

interface EndValues {
  endDate: Dayjs;
}

function EndEmploymentModal({ row, onClose }: { row: Row | null; onClose: (ended: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<EndValues>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching }, end] = useMutation(EmploymentEndMutation);
  const today = shanghaiToday();
  const start = row?.currentEmployment?.startDate ?? '';

  useEffect(() => {
    setAlerts([]);
    if (row) form.resetFields();
  }, [row, form]);

  const submit = async (values: EndValues) => {
    const employment = row?.currentEmployment;
    if (!employment) return;
    setAlerts([]);
    const result = await end({ id: employment.id, endDate: values.endDate.format('YYYY-MM-DD') });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data?.employmentEnd;
    if (payload && payload.errors.length === 0) {
      message.success(`已结束与${row.name}的聘用关系`);
      onClose(true);
      return;
    }
    const { fields, messages } = formErrors<EndValues>(payload?.errors ?? [], { fields: ['endDate'] });
    form.setFields(fields);
    setAlerts(messages);
  };

  return (
    <Modal
      open={row !== null}
      title={row ? `结束聘用：${row.name}` : '结束聘用'}
      okText="确认结束聘用"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {row ? (
        <Space orientation="vertical" className="full-width">
          <Alert
            type="warning"
            showIcon
            title="此操作不能撤销"
            description={
              <>
                结束后，{row.name}（{row.idNumberMasked}）将立即移出本单位人员，本单位不能再查看其注册、证书、学时和信用等级；
                如需再次聘用，须重新发出聘用邀请并经本人确认。
              </>
            }
          />
          {alerts.map((text) => (
            <Alert key={text} type="error" showIcon title={text} />
          ))}
          <Form<EndValues>
            form={form}
            layout="vertical"
            initialValues={{ endDate: dayjs(today) }}
            onFinish={(values) => void submit(values)}
          >
            <Form.Item
              name="endDate"
              label="聘用结束日期"
              extra={start ? `聘用开始于${chineseDate(start)}` : undefined}
              rules={[{ required: true, message: '请选择聘用结束日期' }]}
            >
              <DatePicker
                style={{ width: '100%' }}
                format="YYYY-MM-DD"
                disabledDate={(d) => {
                  const iso = d.format('YYYY-MM-DD');
                  return iso > today || (start !== '' && iso < start);
                }}
              />
            </Form.Item>
          </Form>
        </Space>
      ) : null}
    </Modal>
  );
}

// ── the invitations sent ───────────────────────────────────────────────────────────

const INVITATION_COLUMNS: TableProps<Invitation>['columns'] = [
  {
    key: 'status',
    title: '状态',
    render: (_, i) => <Tag color={INVITATION_STATUS_COLORS[i.status]}>{EMPLOYMENT_INVITATION_STATUS_LABELS[i.status]}</Tag>,
  },
  { key: 'sentOn', title: '发出日期', render: (_, i) => chineseDate(i.sentOn) || '—' },
  { key: 'startsOn', title: '聘用开始日期', render: (_, i) => chineseDate(i.startsOn) },
  { key: 'expiresOn', title: '答复截止', render: (_, i) => chineseDate(i.expiresOn) },
  { key: 'social', title: '社保', render: (_, i) => (i.socialInsurance ? '本单位缴纳' : '非本单位缴纳') },
];

function InvitationsCard({ version }: { version: number }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, error, fetching }, refetch] = useQuery({
    query: InvitationsDocument,
    variables: { status: null, first: 10, after },
    requestPolicy: 'cache-and-network',
  });
  useEffect(() => {
    if (version > 0) refetch({ requestPolicy: 'network-only' });
  }, [version, refetch]);
  const page = data?.employmentInvitations;
  return (
    <Card title="已发出的聘用邀请" size="small">
      {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
      <Table<Invitation>
        rowKey="id"
        size="small"
        loading={fetching && !data}
        pagination={false}
        columns={INVITATION_COLUMNS}
        dataSource={page?.edges.map((e) => e.node) ?? []}
        locale={{ emptyText: '暂无聘用邀请' }}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
        <Typography.Text type="secondary">共 {page?.totalCount ?? 0} 条</Typography.Text>
        <Space>
          <Button size="small" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            上一页
          </Button>
          <Button
            size="small"
            disabled={!page?.pageInfo.hasNextPage || !page.pageInfo.endCursor}
            onClick={() => setCursors((c) => [...c, page?.pageInfo.endCursor ?? null])}
          >
            下一页
          </Button>
        </Space>
      </Flex>
    </Card>
  );
}

// ── the page ────────────────────────────────────────────────────────────────────────

export function EmployerStaffPage() {
  const { message } = App.useApp();
  const today = shanghaiToday();
  const [draft, setDraft] = useState<StaffFilters>(EMPTY_FILTERS);
  const [filters, setFilters] = useState<StaffFilters>(EMPTY_FILTERS);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const clientSide = hasClientFilters(filters);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: StaffDocument,
    variables: { filter: toPersonFilter(filters), first: PAGE_SIZE, after },
    requestPolicy: 'cache-and-network',
    pause: clientSide,
  });
  const fetchAll = useFetchAll();
  // With a registration or hours filter (which PersonFilterInput lacks) every page is
  // fetched and filtered here; `all` holds the result.
  const [all, setAll] = useState<{ rows: Row[]; error: string | null; loading: boolean }>({
    rows: [],
    error: null,
    loading: false,
  });
  const [reload, setReload] = useState(0);
  const [exporting, setExporting] = useState(false);
  const [inviting, setInviting] = useState(false);
  const [invitationsVersion, setInvitationsVersion] = useState(0);
  const [ending, setEnding] = useState<Row | null>(null);

  useEffect(() => {
    if (!clientSide) return;
    let live = true;
    setAll((a) => ({ ...a, loading: true, error: null }));
    fetchAll(filters).then(
      (rows) => live && setAll({ rows, error: null, loading: false }),
      (e: unknown) => live && setAll({ rows: [], error: e instanceof Error ? e.message : String(e), loading: false }),
    );
    return () => {
      live = false;
    };
    // fetchAll is a fresh closure each render over the same client.
  }, [clientSide, filters, reload]);

  const page = data?.persons;
  const rows = clientSide ? all.rows : (page?.edges.map((e) => e.node) ?? []);

  const apply = (next: StaffFilters) => {
    setFilters(next);
    setCursors([null]);
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const list = clientSide ? all.rows : await fetchAll(filters);
      download(buildStaffCsv(list, today), csvFileName(today));
      message.success(`已导出 ${list.length} 人`);
    } catch (e) {
      message.error(`导出失败：${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setExporting(false);
    }
  };

  const columns: TableProps<Row>['columns'] = useMemo(
    () => [
      {
        key: 'name',
        title: '姓名',
        render: (_, r) => (
          <Space orientation="vertical" size={0}>
            <Typography.Text strong>{r.name}</Typography.Text>
            <Typography.Text type="secondary">{r.idNumberMasked}</Typography.Text>
          </Space>
        ),
      },
      { key: 'specialty', title: '专业类别', render: (_, r) => (r.specialty ? SPECIALTY_LABELS[r.specialty] : '—') },
      {
        key: 'registration',
        title: '注册状态',
        render: (_, r) => <SummaryCell summary={summariseRegistration(r, today)} testId="registration-status" />,
      },
      {
        key: 'certificate',
        title: '注册证书',
        render: (_, r) => <SummaryCell summary={summariseCertificate(r, today)} testId="certificate-status" />,
      },
      {
        key: 'hours',
        title: '继续教育学时',
        render: (_, r) => <SummaryCell summary={summariseHours(r)} testId="hours-status" />,
      },
      {
        key: 'grade',
        title: '信用等级',
        render: (_, r) =>
          r.creditGrade ? (
            <Tag color={gradeColour(r.creditGrade.grade, r.creditGrade.provincialColour).hex} data-testid="credit-grade">
              {gradeText(r)}（{gradeColour(r.creditGrade.grade, r.creditGrade.provincialColour).name}）
            </Tag>
          ) : (
            <Typography.Text type="secondary" data-testid="credit-grade">
              {gradeText(r)}
            </Typography.Text>
          ),
      },
      {
        key: 'employment',
        title: '聘用开始',
        render: (_, r) => chineseDate(r.currentEmployment?.startDate) || '—',
      },
      {
        key: 'action',
        title: '操作',
        render: (_, r) =>
          r.currentEmployment ? (
            <Button type="link" danger onClick={() => setEnding(r)} aria-label={`结束聘用 ${r.name}`}>
              结束聘用
            </Button>
          ) : null,
      },
    ],
    [today],
  );

  const loading = clientSide ? all.loading : fetching && !data;
  const total = clientSide ? all.rows.length : (page?.totalCount ?? 0);

  return (
    <PageContainer
      title="本单位人员"
      description="本单位在职注册安全工程师的注册、证书、继续教育学时与信用等级。身份证号码按规定脱敏显示。"
      extra={
        <Space>
          <Button onClick={() => void exportCsv()} loading={exporting}>
            导出CSV
          </Button>
          <Button type="primary" onClick={() => setInviting(true)}>
            发出聘用邀请
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" size="large" className="full-width">
        {error && !clientSide ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        {all.error && clientSide ? <Alert type="error" showIcon title={all.error} /> : null}
        <Card>
          <Form
            layout="inline"
            onFinish={() => apply(draft)}
            style={{ marginBottom: 16, rowGap: 8 }}
            aria-label="筛选"
          >
            <Form.Item label="姓名/身份证号" htmlFor="staff-search">
              <Input
                id="staff-search"
                allowClear
                placeholder="姓名开头或完整身份证号"
                value={draft.search}
                onChange={(e) => setDraft((d) => ({ ...d, search: e.target.value }))}
                style={{ width: 220 }}
              />
            </Form.Item>
            <Form.Item label="注册状态">
              <Select<RegistrationFilter>
                aria-label="注册状态"
                style={{ width: 160 }}
                value={draft.registration}
                options={[...REGISTRATION_FILTER_OPTIONS]}
                onChange={(registration) => {
                  const next = { ...draft, registration };
                  setDraft(next);
                  apply(next);
                }}
              />
            </Form.Item>
            <Form.Item label="学时情况">
              <Select<HoursFilter>
                aria-label="学时情况"
                style={{ width: 160 }}
                value={draft.hours}
                options={[...HOURS_FILTER_OPTIONS]}
                onChange={(hours) => {
                  const next = { ...draft, hours };
                  setDraft(next);
                  apply(next);
                }}
              />
            </Form.Item>
            <Form.Item>
              <Space>
                <Button htmlType="submit">查询</Button>
                <Button
                  onClick={() => {
                    setDraft(EMPTY_FILTERS);
                    apply(EMPTY_FILTERS);
                  }}
                >
                  重置
                </Button>
              </Space>
            </Form.Item>
          </Form>
          <Table<Row>
            rowKey="id"
            size="small"
            loading={loading}
            columns={columns}
            dataSource={rows}
            pagination={clientSide ? { pageSize: PAGE_SIZE, hideOnSinglePage: true, showSizeChanger: false } : false}
            locale={{ emptyText: '暂无在职人员' }}
            scroll={{ x: 'max-content' }}
          />
          <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
            <Typography.Text type="secondary" data-testid="staff-total">
              共 {total} 人{clientSide ? '（按注册状态/学时情况筛选）' : ` · 第 ${cursors.length} 页`}
            </Typography.Text>
            {clientSide ? null : (
              <Space>
                <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                  上一页
                </Button>
                <Button
                  disabled={!page?.pageInfo.hasNextPage || !page.pageInfo.endCursor}
                  onClick={() => setCursors((c) => [...c, page?.pageInfo.endCursor ?? null])}
                >
                  下一页
                </Button>
              </Space>
            )}
          </Flex>
        </Card>
        <InvitationsCard version={invitationsVersion} />
      </Space>
      <InviteModal
        open={inviting}
        onClose={(sent) => {
          setInviting(false);
          if (sent) setInvitationsVersion((v) => v + 1);
        }}
      />
      <EndEmploymentModal
        row={ending}
        onClose={(ended) => {
          setEnding(null);
          if (ended) {
            if (clientSide) setReload((n) => n + 1);
            else refetch({ requestPolicy: 'network-only' });
          }
        }}
      />
    </PageContainer>
  );
}
