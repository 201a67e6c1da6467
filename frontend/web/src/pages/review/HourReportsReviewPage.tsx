/** 个人申报审核: reviewers accept (通过) or return (退回, with a note) self-reported hours. */
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Alert, App, Button, Card, Descriptions, Drawer, Flex, Form, Input, Space, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { HoursReviewDocument, PendingHourReportsDocument } from '../../gql/graphql';
import type { PendingHourReportsQuery } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import { SPECIALTY_LABELS } from '../../registration/labels';
import { SUBJECT_KIND_LABELS } from '../../education/labels';
import { formatHours } from '../../education/helpers';

type Report = PendingHourReportsQuery['pendingHourReports']['edges'][number]['node'];

export const PAGE_SIZE = 20;

/** zh-CN texts of hoursReview's codes, over the general ERROR_MESSAGES. */
export const HOURS_REVIEW_MESSAGES: Readonly<Record<string, string>> = {
  NOT_FOUND: '申报记录不存在、不在本辖区或不能由您审核',
  ALREADY_REVIEWED: '该申报已被审核，列表已刷新',
  REASON_REQUIRED: '退回须填写审核意见',
  TOO_LONG: '审核意见过长',
  INVALID_VALUE: '输入内容无效',
};

export type EvidenceKind = 'image' | 'pdf' | 'unknown';

/**
 * The evidence's file type as far as its (presigned) URL tells: the path's extension, else
 * a response-content-type parameter; 'unknown' when neither says (then the preview tries
 * the file as an image and falls back to the PDF viewer).
 */
export function evidenceKind(url: string): EvidenceKind {
  let path = url;
  let contentType = '';
  try {
    const parsed = new URL(url, 'http://localhost');
    path = parsed.pathname;
    contentType = parsed.searchParams.get('response-content-type') ?? '';
  } catch {
    // Not a URL: look at the text as it is.
  }
  const lower = decodeURIComponent(path).toLowerCase();
  if (/\.pdf$/.test(lower) || contentType.toLowerCase() === 'application/pdf') return 'pdf';
  if (/\.(jpe?g|png)$/.test(lower) || /^image\/(jpeg|png)$/i.test(contentType)) return 'image';
  return 'unknown';
}

/** The evidence shown inline, with a 下载 link always. */
export function EvidencePreview({ url }: { url: string }) {
  const guessed = evidenceKind(url);
  const [notImage, setNotImage] = useState(false);
  useEffect(() => setNotImage(false), [url]);
  const kind: EvidenceKind = guessed === 'unknown' && notImage ? 'pdf' : guessed;

  return (
    <Space orientation="vertical" className="full-width">
      {kind === 'pdf' ? (
        <object
          data={url}
          type="application/pdf"
          aria-label="证明材料（PDF）"
          data-testid="evidence-pdf"
          style={{ width: '100%', height: 520, border: '1px solid #f0f0f0' }}
        >
          <Typography.Text type="secondary">浏览器无法直接显示该文件，请下载查看。</Typography.Text>
        </object>
      ) : (
        <img
          src={url}
          alt="证明材料"
          data-testid="evidence-image"
          style={{ maxWidth: '100%', border: '1px solid #f0f0f0' }}
          onError={guessed === 'unknown' ? () => setNotImage(true) : undefined}
        />
      )}
      <a href={url} target="_blank" rel="noreferrer" download>
        下载
      </a>
    </Space>
  );
}

interface ReviewValues {
  note?: string;
}

function ReviewDrawer({
  report,
  onClose,
  onStale,
}: {
  report: Report | null;
  onClose: (decided: boolean) => void;
  /** The report was decided elsewhere (or is gone): the list should be fetched again. */
  onStale: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ReviewValues>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [busy, setBusy] = useState<'accept' | 'reject' | null>(null);
  const [, review] = useMutation(HoursReviewDocument);

  useEffect(() => {
    setAlerts([]);
    form.resetFields();
  }, [report, form]);

  const decide = async (accept: boolean) => {
    if (!report) return;
    setAlerts([]);
    const note = (form.getFieldValue('note') as string | undefined)?.trim() ?? '';
    if (!accept && !note) {
      form.setFields([{ name: 'note', errors: ['退回须填写审核意见'] }]);
      return;
    }
    form.setFields([{ name: 'note', errors: [] }]);
    setBusy(accept ? 'accept' : 'reject');
    try {
      const result = await review({ id: report.id, accept, note: note || null });
      if (result.error) {
        setAlerts([describeError(result.error)]);
        return;
      }
      const payload = result.data?.hoursReview;
      if (payload && payload.errors.length === 0) {
        message.success(accept ? '已通过，学时已计入' : '已退回申报');
        onClose(true);
        return;
      }
      const { fields, messages } = formErrors<ReviewValues>(payload?.errors ?? [], {
        fields: ['note'],
        messages: HOURS_REVIEW_MESSAGES,
      });
      form.setFields(fields);
      setAlerts(messages);
      if (payload?.errors.some((e) => e.code === 'ALREADY_REVIEWED' || e.code === 'NOT_FOUND')) onStale();
    } finally {
      setBusy(null);
    }
  };

  return (
    <Drawer
      open={report !== null}
      title={report ? `审核个人申报：${report.courseTitle}` : '审核个人申报'}
      size="large"
      onClose={() => onClose(false)}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button danger onClick={() => void decide(false)} loading={busy === 'reject'} disabled={busy === 'accept'}>
            退回
          </Button>
          <Button type="primary" onClick={() => void decide(true)} loading={busy === 'accept'} disabled={busy === 'reject'}>
            通过
          </Button>
        </Flex>
      }
    >
      {report ? (
        <Space orientation="vertical" size="large" className="full-width">
          {alerts.map((text) => (
            <Alert key={text} type="error" showIcon title={text} />
          ))}
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="申报人">{report.personName}</Descriptions.Item>
            <Descriptions.Item label="课程名称">{report.courseTitle}</Descriptions.Item>
            <Descriptions.Item label="培训机构">{report.providerName}</Descriptions.Item>
            <Descriptions.Item label="科目类型">{SUBJECT_KIND_LABELS[report.subjectKind]}</Descriptions.Item>
            <Descriptions.Item label="专业类别">{report.specialty ? SPECIALTY_LABELS[report.specialty] : '不限'}</Descriptions.Item>
            <Descriptions.Item label="学时">{formatHours(report.hours)}</Descriptions.Item>
            <Descriptions.Item label="完成日期">{report.recognisedOn}</Descriptions.Item>
            <Descriptions.Item label="证明编号">{report.reference ?? '—'}</Descriptions.Item>
          </Descriptions>
          <Card size="small" title="证明材料">
            {report.evidenceUrl ? (
              <EvidencePreview url={report.evidenceUrl} />
            ) : (
              <Typography.Text type="secondary">未附证明材料或暂时无法获取</Typography.Text>
            )}
          </Card>
          <Form<ReviewValues> form={form} layout="vertical">
            <Form.Item name="note" label="审核意见" extra="退回时必填，将告知申报人。">
              <Input.TextArea rows={3} maxLength={500} showCount />
            </Form.Item>
          </Form>
        </Space>
      ) : null}
    </Drawer>
  );
}

/** 个人申报审核: the pending self-reports of the reviewer's region, oldest first. */
export function HourReportsReviewPage() {
  // The cursors of the pages seen so far: the last one is the current page's `after`.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, error, fetching }, refetch] = useQuery({
    query: PendingHourReportsDocument,
    variables: { first: PAGE_SIZE, after },
    requestPolicy: 'cache-and-network',
  });
  const [selected, setSelected] = useState<Report | null>(null);
  const connection = data?.pendingHourReports;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];
  const page = cursors.length;

  // A later page emptied by decisions: go back one.
  useEffect(() => {
    if (connection && connection.edges.length === 0 && cursors.length > 1) setCursors((c) => c.slice(0, -1));
  }, [connection, cursors.length]);

  const columns: TableProps<Report>['columns'] = [
    { key: 'person', title: '申报人', render: (_, r) => r.personName },
    { key: 'course', title: '课程名称', render: (_, r) => r.courseTitle },
    { key: 'provider', title: '培训机构', render: (_, r) => r.providerName },
    { key: 'kind', title: '科目类型', render: (_, r) => SUBJECT_KIND_LABELS[r.subjectKind] },
    { key: 'hours', title: '学时', render: (_, r) => formatHours(r.hours) },
    { key: 'date', title: '完成日期', render: (_, r) => r.recognisedOn },
    { key: 'reference', title: '证明编号', render: (_, r) => r.reference ?? '—' },
    {
      key: 'action',
      title: '操作',
      render: (_, r) => (
        <Button type="link" onClick={() => setSelected(r)} aria-label={`审核 ${r.personName} ${r.courseTitle}`}>
          审核
        </Button>
      ),
    },
  ];

  return (
    <PageContainer title="个人申报审核" description="本辖区待审核的个人申报学时，按提交先后排列。查看证明材料后通过或退回。">
      <Space orientation="vertical" size="large" className="full-width">
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        <Card>
          <Table<Report>
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={fetching && !data}
            pagination={false}
            locale={{ emptyText: '暂无待审核的个人申报' }}
            scroll={{ x: 'max-content' }}
          />
          <Flex justify="space-between" align="center" className="pager" style={{ marginTop: 16 }}>
            <Typography.Text type="secondary">
              共 {connection?.totalCount ?? 0} 条待审核 · 第 {page} 页
            </Typography.Text>
            <Space>
              <Button disabled={page <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                上一页
              </Button>
              <Button
                disabled={!connection?.pageInfo.hasNextPage || !connection.pageInfo.endCursor}
                onClick={() => {
                  const next = connection?.pageInfo.endCursor;
                  if (next) setCursors((c) => [...c, next]);
                }}
              >
                下一页
              </Button>
            </Space>
          </Flex>
        </Card>
      </Space>
      <ReviewDrawer
        report={selected}
        onClose={(decided) => {
          setSelected(null);
          if (decided) refetch({ requestPolicy: 'network-only' });
        }}
        onStale={() => refetch({ requestPolicy: 'network-only' })}
      />
    </PageContainer>
  );
}
