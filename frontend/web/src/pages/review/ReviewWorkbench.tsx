/** 初审/终审工作台: queue counts, filters and the queue (most urgent first, as returned). */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { Alert, Card, Col, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import type { TableProps } from 'antd';
import { ReviewQueueCountsDocument, ReviewQueueDocument } from '../../gql/graphql';
import type {
  ApplicationKind,
  DeadlineStatus,
  ReviewQueueFilter,
  ReviewQueueQuery,
  ReviewStage,
  Specialty,
} from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { DEADLINE_STATUS_LABELS, KIND_LABELS, SPECIALTY_LABELS } from '../../registration/labels';
import { deadlineColor, formatDateTime } from '../../registration/helpers';

type Row = ReviewQueueQuery['reviewQueue']['edges'][number]['node'];

function options<K extends string>(labels: Readonly<Record<K, string>>) {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

const KIND_OPTIONS = options(KIND_LABELS);
const SPECIALTY_OPTIONS = options(SPECIALTY_LABELS);
const DEADLINE_OPTIONS = options(DEADLINE_STATUS_LABELS);
const ASSIGNED_OPTIONS = [
  { value: 'mine', label: '我领取的' },
  { value: 'unclaimed', label: '未领取' },
];

export function reviewPath(id: string): string {
  return `/review/applications/${encodeURIComponent(id)}`;
}

const COLUMNS: TableProps<Row>['columns'] = [
  {
    key: 'dueAt',
    title: '办理时限',
    render: (_, row) =>
      row.dueAt ? (
        <Tag color={deadlineColor(row.deadlineStatus)}>
          {formatDateTime(row.dueAt)}
          {row.deadlineStatus && row.deadlineStatus !== 'ON_TIME' ? ` ${DEADLINE_STATUS_LABELS[row.deadlineStatus]}` : ''}
        </Tag>
      ) : (
        '—'
      ),
  },
  {
    key: 'applicant',
    title: '申请人',
    render: (_, row) => <Link to={reviewPath(row.id)}>{row.applicant.name}</Link>,
  },
  { key: 'kind', title: '注册类型', render: (_, row) => KIND_LABELS[row.kind] },
  { key: 'specialty', title: '专业类别', render: (_, row) => SPECIALTY_LABELS[row.specialty] },
  { key: 'employer', title: '聘用单位', render: (_, row) => row.employer.name },
  { key: 'status', title: '状态', render: (_, row) => row.statusName },
  { key: 'submittedAt', title: '提交时间', render: (_, row) => formatDateTime(row.submittedAt) },
  {
    key: 'assigned',
    title: '领取',
    render: (_, row) =>
      row.assignedToMe ? <Tag color="blue">我已领取</Tag> : <Tag>{reviewerOf(row) ?? '未领取'}</Tag>,
  },
];

function reviewerOf(row: Row): string | null {
  return row.status === 'FINAL_REVIEW' ? (row.finalReviewerName ?? null) : (row.preliminaryReviewerName ?? null);
}

export function ReviewWorkbench({ stage, title }: { stage: ReviewStage; title: string }) {
  const navigate = useNavigate();
  const [kind, setKind] = useState<ApplicationKind | undefined>();
  const [specialty, setSpecialty] = useState<Specialty | undefined>();
  const [deadline, setDeadline] = useState<DeadlineStatus | undefined>();
  const [assigned, setAssigned] = useState<string | undefined>();
  const filter: ReviewQueueFilter = {
    kind: kind ?? null,
    specialty: specialty ?? null,
    deadline: deadline ?? null,
    assignedToMe: assigned === undefined ? null : assigned === 'mine',
  };
  const [{ data, error, fetching }] = useQuery({
    query: ReviewQueueDocument,
    variables: { stage, filter },
    requestPolicy: 'cache-and-network',
  });
  const [{ data: countsData }] = useQuery({
    query: ReviewQueueCountsDocument,
    variables: { stage, filter },
    requestPolicy: 'cache-and-network',
  });
  const counts = countsData?.reviewQueueCounts;
  const rows = data?.reviewQueue.edges.map((edge) => edge.node) ?? [];

  return (
    <PageContainer title={title} description="按法定时限排序，最紧急的在前。点击申请查看详情并办理。">
      <Space orientation="vertical" size="large" className="full-width">
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Card>
              <Statistic title="待办总数" value={counts?.total ?? 0} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card>
              <Statistic title="已超时" value={counts?.breached ?? 0} styles={{ content: { color: '#cf1322' } }} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card>
              <Statistic title="即将到期" value={counts?.dueSoon ?? 0} styles={{ content: { color: '#d46b08' } }} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card>
              <Statistic title="未领取" value={counts?.unclaimed ?? 0} />
            </Card>
          </Col>
        </Row>
        <Card>
          <Space wrap size="middle" className="review-filters">
            <Select
              allowClear
              placeholder="注册类型"
              aria-label="注册类型"
              options={KIND_OPTIONS}
              value={kind}
              onChange={setKind}
              style={{ minWidth: 160 }}
            />
            <Select
              allowClear
              placeholder="专业类别"
              aria-label="专业类别"
              options={SPECIALTY_OPTIONS}
              value={specialty}
              onChange={setSpecialty}
              style={{ minWidth: 200 }}
            />
            <Select
              allowClear
              placeholder="时限状态"
              aria-label="时限状态"
              options={DEADLINE_OPTIONS}
              value={deadline}
              onChange={setDeadline}
              style={{ minWidth: 140 }}
            />
            <Select
              allowClear
              placeholder="领取情况"
              aria-label="领取情况"
              options={ASSIGNED_OPTIONS}
              value={assigned}
              onChange={setAssigned}
              style={{ minWidth: 140 }}
            />
          </Space>
        </Card>
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        <Card>
          <Table<Row>
            rowKey="id"
            columns={COLUMNS}
            dataSource={rows}
            loading={fetching && !data}
            pagination={false}
            locale={{ emptyText: '暂无待办申请' }}
            scroll={{ x: 'max-content' }}
            onRow={(row) => ({
              onClick: () => navigate(reviewPath(row.id)),
              style: { cursor: 'pointer' },
            })}
          />
        </Card>
      </Space>
    </PageContainer>
  );
}

export function PreliminaryWorkbenchPage() {
  return <ReviewWorkbench stage="PRELIMINARY" title="初审工作台" />;
}

export function FinalWorkbenchPage() {
  return <ReviewWorkbench stage="FINAL" title="终审工作台" />;
}
