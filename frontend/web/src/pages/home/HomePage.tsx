/**
 * 工作台 (`/`): per role the user holds, what needs doing next, with links to the pages
 * where it is done. The decisions are pure functions in home.ts.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { Alert, Badge, Card, Col, Flex, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import {
  HomeEmployerDocument,
  HomePendingHourReportsDocument,
  HomeRegistrantDocument,
  HomeReviewQueueDocument,
} from '../../gql/graphql';
import type { ReviewStage, Role } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { useViewer } from '../../app/ViewerContext';
import { sectionsFor } from '../../app/navigation';
import {
  APPLICATION_KIND_LABELS,
  DEADLINE_STATUS_LABELS,
  ROLE_LABELS,
  SPECIALTY_LABELS,
} from '../../labels/enums';
import { shanghaiToday } from '../employer/staff';
import {
  applicationStep,
  byUrgency,
  currentApplication,
  expiryStep,
  hoursStep,
  reviewCasePath,
  shanghaiDateTime,
  staffNeedingAttention,
} from './home';
import type { Step, Tone } from './home';

const TAG_COLORS: Readonly<Record<Tone, string>> = {
  success: 'success',
  warning: 'warning',
  error: 'error',
  default: 'default',
};

const TONE_TEXT: Readonly<Record<Tone, string>> = {
  success: '正常',
  warning: '提醒',
  error: '待处理',
  default: '信息',
};

function StepLine({ label, step }: { label: string; step: Step }) {
  return (
    <div className="home-step">
      <Typography.Text type="secondary" className="home-step-label">
        {label}
      </Typography.Text>
      <Flex gap={8} align="baseline" wrap>
        <Tag color={TAG_COLORS[step.tone]}>{TONE_TEXT[step.tone]}</Tag>
        <Typography.Text strong>{step.title}</Typography.Text>
      </Flex>
      {step.detail ? <Typography.Paragraph className="home-step-detail">{step.detail}</Typography.Paragraph> : null}
      {step.link ? <Link to={step.link.to}>{step.link.label}</Link> : null}
    </div>
  );
}

function QueryState({ fetching, error, children }: { fetching: boolean; error?: Parameters<typeof describeError>[0]; children: ReactNode }) {
  if (error) return <Alert type="error" showIcon title={describeError(error)} />;
  if (fetching) return <Skeleton active paragraph={{ rows: 3 }} />;
  return children;
}

// ── 申请人 ─────────────────────────────────────────────────────────────────────────

function RegistrantCard() {
  const [{ data, fetching, error }] = useQuery({ query: HomeRegistrantDocument, requestPolicy: 'cache-and-network' });
  const today = shanghaiToday();
  return (
    <Card title="我的注册与继续教育" className="home-card">
      <QueryState fetching={fetching && !data} error={data ? undefined : error}>
        {data ? (
          <Flex vertical gap={16}>
            <StepLine
              label="注册申请"
              step={applicationStep(currentApplication(data.myApplications.edges.map((e) => e.node)))}
            />
            <StepLine label="继续教育学时" step={hoursStep(data.myHours.requirement, data.myHours.pendingCount, today)} />
            <StepLine label="注册证书" step={expiryStep(data.myRegistration, data.myCertificates, today)} />
          </Flex>
        ) : null}
      </QueryState>
    </Card>
  );
}

// ── 审核人员 ───────────────────────────────────────────────────────────────────────

const STAGES: Readonly<Record<ReviewStage, { title: string; path: string }>> = {
  PRELIMINARY: { title: '初审待办', path: '/review/preliminary' },
  FINAL: { title: '终审待办', path: '/review/final' },
};

function ReviewerCard({ stage, withHourReports }: { stage: ReviewStage; withHourReports: boolean }) {
  const [{ data, fetching, error }] = useQuery({
    query: HomeReviewQueueDocument,
    variables: { stage, first: 5 },
    requestPolicy: 'cache-and-network',
  });
  const [hours] = useQuery({ query: HomePendingHourReportsDocument, pause: !withHourReports, requestPolicy: 'cache-and-network' });
  const { title, path } = STAGES[stage];
  const counts = data?.reviewQueueCounts;
  const cases = byUrgency(data?.reviewQueue.edges.map((e) => e.node) ?? []);
  return (
    <Card title={title} className="home-card" extra={<Link to={path}>进入工作台</Link>}>
      <QueryState fetching={fetching && !data} error={data ? undefined : error}>
        {counts ? (
          <Flex vertical gap={16}>
            <Row gutter={[16, 16]}>
              <Col xs={12} sm={6}>
                <Statistic title="待办总数" value={counts.total} />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic title="已超时" value={counts.breached} styles={{ content: counts.breached > 0 ? { color: '#cf1322' } : undefined }} />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic title="即将到期" value={counts.dueSoon} styles={{ content: counts.dueSoon > 0 ? { color: '#d46b08' } : undefined }} />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic title="未领取" value={counts.unclaimed} />
              </Col>
            </Row>
            {cases.length > 0 ? (
              <div>
                <Typography.Text type="secondary">最紧急的案件</Typography.Text>
                <ul className="home-list" aria-label={`${title}：最紧急的案件`}>
                  {cases.map((c) => (
                    <li key={c.id}>
                      <Flex gap={8} align="baseline" wrap>
                        <Link to={reviewCasePath(c.id)}>
                          {c.applicant.name} · {APPLICATION_KIND_LABELS[c.kind]} · {SPECIALTY_LABELS[c.specialty]}
                        </Link>
                        {c.deadlineStatus ? (
                          <Tag color={c.deadlineStatus === 'BREACHED' ? 'red' : c.deadlineStatus === 'DUE_SOON' ? 'orange' : 'default'}>
                            {DEADLINE_STATUS_LABELS[c.deadlineStatus]}
                          </Tag>
                        ) : null}
                        {c.dueAt ? <Typography.Text type="secondary">时限 {shanghaiDateTime(c.dueAt)}</Typography.Text> : null}
                        {c.assignedToMe ? <Tag color="blue">已领取</Tag> : null}
                      </Flex>
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <Typography.Text type="secondary">暂无待办案件。</Typography.Text>
            )}
            {withHourReports ? (
              <Flex gap={8} align="center" wrap>
                <Typography.Text>个人申报学时待审核</Typography.Text>
                {hours.data ? (
                  <Badge count={hours.data.pendingHourReports.totalCount} showZero color={hours.data.pendingHourReports.totalCount > 0 ? 'orange' : 'green'} />
                ) : hours.error ? (
                  <Typography.Text type="danger">{describeError(hours.error)}</Typography.Text>
                ) : null}
                <Link to="/review/hours">去审核</Link>
              </Flex>
            ) : null}
          </Flex>
        ) : null}
      </QueryState>
    </Card>
  );
}

// ── 聘用单位管理员 ─────────────────────────────────────────────────────────────────

const ATTENTION_SHOWN = 8;

function EmployerCard() {
  const { employer } = useViewer();
  const [{ data, fetching, error }] = useQuery({
    query: HomeEmployerDocument,
    variables: { filter: employer ? { employerId: employer.id } : null, first: 100 },
    requestPolicy: 'cache-and-network',
  });
  const today = shanghaiToday();
  const attention = data ? staffNeedingAttention(data.persons.edges.map((e) => e.node), today) : [];
  const pending = data?.employmentInvitations.totalCount ?? 0;
  return (
    <Card title="本单位人员提醒" className="home-card" extra={<Link to="/employer/staff">本单位人员</Link>}>
      <QueryState fetching={fetching && !data} error={data ? undefined : error}>
        {data ? (
          <Flex vertical gap={12}>
            <Row gutter={[16, 16]}>
              <Col xs={12} sm={8}>
                <Statistic title="在职人员" value={data.persons.totalCount} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title="需关注" value={attention.length} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title="待确认的聘用邀请" value={pending} />
              </Col>
            </Row>
            {data.persons.pageInfo.hasNextPage ? (
              <Typography.Text type="secondary">人员较多，以下仅统计前 {data.persons.edges.length} 人，完整情况见“本单位人员”。</Typography.Text>
            ) : null}
            {attention.length > 0 ? (
              <ul className="home-list" aria-label="需关注的人员">
                {attention.slice(0, ATTENTION_SHOWN).map(({ row, reasons }) => (
                  <li key={row.id}>
                    <Flex gap={8} align="baseline" wrap>
                      <Typography.Text strong>{row.name}</Typography.Text>
                      {reasons.map((r) => (
                        <Tag key={r.label} color={TAG_COLORS[r.tone]} title={r.detail || undefined}>
                          {r.label}
                        </Tag>
                      ))}
                    </Flex>
                  </li>
                ))}
              </ul>
            ) : (
              <Typography.Text type="secondary">人员的注册、证书和学时均无需处理。</Typography.Text>
            )}
            {attention.length > ATTENTION_SHOWN ? (
              <Link to="/employer/staff">查看全部 {attention.length} 人</Link>
            ) : null}
            {pending > 0 ? <Link to="/employer/staff">查看聘用邀请</Link> : null}
          </Flex>
        ) : null}
      </QueryState>
    </Card>
  );
}

// ── other roles ────────────────────────────────────────────────────────────────────

function LinksCard({ role }: { role: Role }) {
  const items = sectionsFor([role]).flatMap((s) => s.items);
  return (
    <Card title={ROLE_LABELS[role]} className="home-card">
      <Flex gap={16} wrap>
        {items.map((item) => (
          <Link key={item.key} to={item.path}>
            {item.label}
          </Link>
        ))}
      </Flex>
    </Card>
  );
}

const LINK_ONLY_ROLES: readonly Role[] = ['TRAINER', 'ANALYST', 'ADMIN'];

export function HomePage() {
  const { user } = useViewer();
  const has = (role: Role) => user.roles.includes(role);
  return (
    <PageContainer title="工作台" description={`${user.displayName}，您好。以下是需要您关注的事项。`}>
      <Flex vertical gap={16}>
        {has('REGISTRANT') ? <RegistrantCard /> : null}
        {has('PROVINCIAL_REVIEWER') ? <ReviewerCard stage="PRELIMINARY" withHourReports /> : null}
        {has('MINISTRY_REVIEWER') ? <ReviewerCard stage="FINAL" withHourReports={false} /> : null}
        {has('EMPLOYER_ADMIN') ? <EmployerCard /> : null}
        {LINK_ONLY_ROLES.filter(has).map((role) => (
          <LinksCard key={role} role={role} />
        ))}
      </Flex>
    </PageContainer>
  );
}
