import { Suspense, lazy, useMemo, useState } from 'react';
import type { HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { CreditDisputeOpenDocument, CreditEventsDocument, MyCreditDocument } from '../../gql/graphql';
import type { CreditEventsQuery, MyCreditQuery } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { MyBlacklistCard } from './MyBlacklistCard';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import { formatChineseDate } from '../../education/helpers';
import { formatChineseDay } from '../../certificates/helpers';
import {
  CREDIT_EVENT_KIND_LABELS,
  CREDIT_EVENT_POINTS,
  CREDIT_EVENT_STATUS_LABELS,
  CREDIT_FACTOR_LABELS,
  DIMENSIONS,
  DIMENSION_LABELS,
  DISPUTE_STATUS_COLORS,
  DISPUTE_STATUS_LABELS,
  GRADE_LABELS,
  PRACTICE_ERROR_MESSAGES,
  PRACTICE_KIND_LABELS,
} from '../../practice/labels';
import {
  contributionRows,
  contributionTimelineOption,
  dimensionAverages,
  factorTotals,
  formatPoints,
  gradeColour,
  historyOption,
  latestVersions,
  radarOption,
} from '../../practice/helpers';
import type { ContributionRow, SourceIndex } from '../../practice/helpers';
import { modelVersionText } from '../../labels/enums';

// ECharts is loaded with the first chart, in a chunk of its own, not with the app.
const LazyChart = lazy(() => import('../../components/Chart').then((m) => ({ default: m.Chart })));

function Chart(props: Parameters<typeof LazyChart>[0]) {
  return (
    <Suspense fallback={<div style={{ height: props.height ?? 320 }} aria-busy="true" />}>
      <LazyChart {...props} />
    </Suspense>
  );
}

type EventRow = CreditEventsQuery['creditEvents']['edges'][number]['node'];

const HISTORY_LIMIT = 50;

/** Dates and titles of what the contributions point at, by global ID. */
function sourceIndex(data: MyCreditQuery | undefined, eventRows: readonly EventRow[]): SourceIndex {
  const records = new Map<string, { date: string; title: string }>();
  const evaluations = new Map<string, { date: string; recordId: string; title: string }>();
  const events = new Map<string, { date: string; title: string }>();
  for (const { node: r } of data?.practiceRecords.edges ?? []) {
    const title = `${PRACTICE_KIND_LABELS[r.kind]}：${r.project}`;
    records.set(r.id, { date: r.endedOn, title });
    for (const e of r.evaluations) {
      evaluations.set(e.id, {
        date: e.submittedAt.slice(0, 10),
        recordId: r.id,
        title: `${title}（第${e.versionNo}版评价，平均${e.average.toFixed(2)}分）`,
      });
    }
  }
  for (const e of eventRows) {
    events.set(e.id, { date: e.occurredOn, title: `${CREDIT_EVENT_KIND_LABELS[e.kind]}：${e.source}` });
  }
  return { records, evaluations, events };
}

function DisputeModal({ event, onClose }: { event: EventRow | null; onClose: (opened: boolean) => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching }, open] = useMutation(CreditDisputeOpenDocument);
  const finish = async ({ reason }: { reason: string }) => {
    if (!event) return;
    setAlerts([]);
    const result = await open({ eventId: event.id, reason: reason.trim() });
    if (result.error) return setAlerts([describeError(result.error)]);
    const payload = result.data?.creditDisputeOpen;
    if (!payload) return;
    if (payload.errors.length > 0) {
      const { fields, messages } = formErrors<{ reason: string }>(payload.errors, {
        fields: ['reason'],
        messages: PRACTICE_ERROR_MESSAGES,
      });
      form.setFields(fields);
      return setAlerts(messages);
    }
    onClose(true);
  };
  return (
    <Modal
      open={event !== null}
      title={event ? `对“${CREDIT_EVENT_KIND_LABELS[event.kind]}”提出异议` : ''}
      okText="提交异议"
      cancelText="取消"
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Space orientation="vertical" className="full-width">
        <Typography.Text type="secondary">异议由录入人以外的审核人员处理；异议成立后该事件不再计分。</Typography.Text>
        {alerts.map((text) => (
          <Alert key={text} type="error" showIcon title={text} />
        ))}
        <Form form={form} layout="vertical" onFinish={finish} preserve={false}>
          <Form.Item name="reason" label="异议理由" rules={[{ required: true, whitespace: true, message: '请填写异议理由' }]}>
            <Input.TextArea rows={4} maxLength={1000} showCount />
          </Form.Item>
        </Form>
      </Space>
    </Modal>
  );
}

/** 信用画像 (registrant): score, grade, colour, the explanation of every point, history, events. */
export function CreditProfilePage() {
  const { message } = App.useApp();
  const [{ data, error, fetching }, refetch] = useQuery({
    query: MyCreditDocument,
    variables: { historyLimit: HISTORY_LIMIT },
    requestPolicy: 'cache-and-network',
  });
  const [{ data: eventData, error: eventError }, refetchEvents] = useQuery({
    query: CreditEventsDocument,
    variables: {},
    requestPolicy: 'cache-and-network',
  });
  const [disputing, setDisputing] = useState<EventRow | null>(null);
  const score = data?.creditScore ?? null;
  const events = useMemo(() => eventData?.creditEvents.edges.map((e) => e.node) ?? [], [eventData]);

  const rows = useMemo<ContributionRow[]>(
    () => (score ? contributionRows(score.contributions, sourceIndex(data, events)) : []),
    [score, data, events],
  );
  const averages = useMemo(() => {
    const confirmed = data?.practiceRecords.edges ?? [];
    return dimensionAverages(latestVersions(confirmed.flatMap((e) => e.node.evaluations)));
  }, [data]);
  const totals = useMemo(() => (score ? factorTotals(score.contributions) : null), [score]);
  const radar = useMemo(() => (averages ? radarOption(averages) : null), [averages]);
  const timeline = useMemo(() => contributionTimelineOption(rows), [rows]);
  const history = data?.creditScoreHistory ?? [];
  const historyChart = useMemo(() => historyOption(history), [history]);
  const colour = score ? gradeColour(score.grade, score.provincialColour) : null;

  return (
    <PageContainer
      title="信用画像"
      description="信用分由执业评价、执业活动、继续教育和信用事件按公开的模型计算，每一分都可追溯到来源记录。"
      extra={
        <Button
          onClick={() => {
            refetch({ requestPolicy: 'network-only' });
            refetchEvents({ requestPolicy: 'network-only' });
          }}
          loading={fetching}
        >
          刷新
        </Button>
      }
    >
      <Space orientation="vertical" size="large" className="full-width">
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        {eventError ? <Alert type="error" showIcon title={describeError(eventError)} /> : null}
        {!score && !fetching && !error ? (
          <Alert type="info" showIcon title="尚未计算信用分" description="执业记录被确认、收到评价或登记信用事件后将自动计算。" />
        ) : null}
        {score && colour ? (
          <Card>
            <Row gutter={[24, 16]} align="middle">
              <Col xs={12} md={6}>
                <Statistic title="信用分" value={score.value} suffix="/ 1000" valueRender={(node) => <span data-testid="credit-score-value">{node}</span>} />
              </Col>
              <Col xs={12} md={6}>
                <Statistic title="信用等级" value={GRADE_LABELS[score.grade]} valueRender={(node) => <span data-testid="credit-grade">{node}</span>} />
              </Col>
              <Col xs={12} md={6}>
                <Typography.Text type="secondary">省级颜色等级</Typography.Text>
                <div>
                  <Tag color={colour.hex} data-testid="credit-colour" style={{ fontSize: 16, padding: '4px 12px', marginTop: 8 }}>
                    {colour.name}色
                  </Tag>
                </div>
              </Col>
              <Col xs={12} md={6}>
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label="模型版本">
                    <span data-testid="credit-model-version">{modelVersionText(score.modelVersion)}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label="计算时间">{new Date(score.computedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}</Descriptions.Item>
                </Descriptions>
              </Col>
            </Row>
            {totals ? (
              <Descriptions size="small" column={{ xs: 1, md: 5 }} style={{ marginTop: 16 }} aria-label="分项合计">
                {(Object.keys(totals) as (keyof typeof totals)[]).map((f) => (
                  <Descriptions.Item key={f} label={CREDIT_FACTOR_LABELS[f]}>
                    <span data-testid={`factor-${f}`}>{formatPoints(totals[f])}</span>
                  </Descriptions.Item>
                ))}
              </Descriptions>
            ) : null}
          </Card>
        ) : null}

        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}>
            <Card title="评价维度" style={{ height: '100%' }}>
              <Typography.Paragraph type="secondary">
                各维度为已确认执业记录的有效评价（每条记录取最新版本）的平均分（1–5分）。评价的平均分以3分为中点计入信用分：全部5分为+200，全部1分为−200，越早的评价权重越低（每两年减半）。
              </Typography.Paragraph>
              {radar && averages ? (
                <>
                  <Chart option={radar} label="评价维度雷达图" height={280} />
                  <Descriptions size="small" column={2}>
                    {DIMENSIONS.map((d) => (
                      <Descriptions.Item key={d} label={DIMENSION_LABELS[d]}>
                        {averages[d].toFixed(2)}
                      </Descriptions.Item>
                    ))}
                  </Descriptions>
                </>
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无评价" />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card title="评分构成时间线" style={{ height: '100%' }}>
              <Typography.Paragraph type="secondary">
                每个点是一项计分：执业记录按结束日期、评价按提交日期、信用事件按发生日期；基础分600分和继续教育分不随日期变化，见下表。
              </Typography.Paragraph>
              {rows.some((r) => r.date) ? (
                <Chart option={timeline} label="评分构成时间线图" height={280} />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无按日期计分的项目" />
              )}
            </Card>
          </Col>
        </Row>

        <Card title="评分明细">
          <Table<ContributionRow>
            rowKey="key"
            size="small"
            pagination={false}
            aria-label="评分明细"
            dataSource={rows}
            locale={{ emptyText: '暂无评分明细' }}
            onRow={(r) => ({ 'data-testid': 'contribution-row', 'data-source-kind': r.sourceKind, 'data-source-id': r.sourceId ?? '' }) as HTMLAttributes<HTMLElement>}
            columns={[
              { key: 'date', title: '日期', render: (_, r) => (r.date ? formatChineseDate(r.date) : '—') },
              { key: 'factor', title: '因素', render: (_, r) => r.factorLabel },
              {
                key: 'points',
                title: '分值',
                render: (_, r) => (
                  <Typography.Text type={r.points < 0 ? 'danger' : r.points > 0 ? 'success' : undefined}>
                    {formatPoints(r.points)}
                  </Typography.Text>
                ),
              },
              {
                key: 'source',
                title: '来源',
                render: (_, r) => (
                  <Space orientation="vertical" size={0}>
                    <Typography.Text type="secondary">{r.sourceLabel}</Typography.Text>
                    {r.href ? <Link to={r.href}>{r.title}</Link> : r.title}
                  </Space>
                ),
              },
              { key: 'description', title: '说明', render: (_, r) => r.description },
            ]}
          />
        </Card>

        <Card title="信用分变化">
          {history.length > 0 ? (
            <>
              <Chart option={historyChart} label="信用分变化折线图" height={240} />
              <Table
                rowKey="computedAt"
                size="small"
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                aria-label="信用分历史"
                dataSource={history}
                columns={[
                  { key: 'at', title: '计算时间', render: (_, h) => new Date(h.computedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) },
                  { key: 'value', title: '信用分', render: (_, h) => h.value },
                  { key: 'grade', title: '等级', render: (_, h) => `${GRADE_LABELS[h.grade]}（${gradeColour(h.grade, h.provincialColour).name}）` },
                  { key: 'model', title: '模型版本', render: (_, h) => modelVersionText(h.modelVersion) },
                ]}
              />
            </>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无变化记录" />
          )}
        </Card>

        <Card title="我的信用事件">
          <Table<EventRow>
            rowKey="id"
            size="small"
            pagination={false}
            aria-label="我的信用事件"
            dataSource={events}
            locale={{ emptyText: '暂无信用事件' }}
            onRow={(e) => ({ id: `event-${e.id}` })}
            columns={[
              { key: 'date', title: '发生日期', render: (_, e) => formatChineseDate(e.occurredOn) },
              {
                key: 'kind',
                title: '类型',
                render: (_, e) => `${CREDIT_EVENT_KIND_LABELS[e.kind]}（${formatPoints(CREDIT_EVENT_POINTS[e.kind])}，逐年衰减）`,
              },
              { key: 'source', title: '来源文书', render: (_, e) => e.source },
              { key: 'authority', title: '决定机关', render: (_, e) => e.authority },
              {
                key: 'status',
                title: '状态',
                render: (_, e) => (
                  <Space orientation="vertical" size={0}>
                    <span>{CREDIT_EVENT_STATUS_LABELS[e.status]}</span>
                    {e.disputes.map((d) => (
                      <Tag key={d.id} color={DISPUTE_STATUS_COLORS[d.status]}>
                        异议{DISPUTE_STATUS_LABELS[d.status]}
                        {d.decidedAt ? ` ${formatChineseDay(d.decidedAt)}` : ''}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              {
                key: 'action',
                title: '操作',
                render: (_, e) =>
                  e.status === 'ACTIVE' && e.disputes.length === 0 ? (
                    <Button size="small" onClick={() => setDisputing(e)}>
                      申诉
                    </Button>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        </Card>
        <MyBlacklistCard />
      </Space>
      <DisputeModal
        event={disputing}
        onClose={(opened) => {
          setDisputing(null);
          if (opened) {
            message.success('异议已提交，等待审核');
            refetchEvents({ requestPolicy: 'network-only' });
          }
        }}
      />
    </PageContainer>
  );
}
