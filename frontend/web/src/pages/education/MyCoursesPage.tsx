import { Link } from 'react-router';
import { useQuery } from 'urql';
import { Alert, Card, Progress, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { MyEnrolmentsDocument } from '../../gql/graphql';
import type { MyEnrolmentsQuery } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { ENROLMENT_STATUS_LABELS, SUBJECT_KIND_LABELS } from '../../education/labels';
import { formatHours } from '../../education/helpers';
import { formatDateTime } from '../../registration/helpers';

type Row = MyEnrolmentsQuery['myEnrolments'][number];

const COLUMNS: TableProps<Row>['columns'] = [
  {
    key: 'title',
    title: '课程名称',
    render: (_, row) => <Link to={`/learning/${encodeURIComponent(row.id)}`}>{row.course.title}</Link>,
  },
  { key: 'provider', title: '培训机构', render: (_, row) => row.course.provider.name },
  { key: 'kind', title: '科目类型', render: (_, row) => SUBJECT_KIND_LABELS[row.course.subjectKind] },
  { key: 'hours', title: '学时', render: (_, row) => formatHours(row.course.hours) },
  {
    key: 'percent',
    title: '学习进度',
    render: (_, row) => (
      <Progress percent={row.percent} size="small" format={(p) => `${p ?? 0}%`} style={{ minWidth: 120 }} />
    ),
  },
  {
    key: 'status',
    title: '状态',
    render: (_, row) => (
      <Tag color={row.status === 'COMPLETED' ? 'green' : 'blue'}>{ENROLMENT_STATUS_LABELS[row.status]}</Tag>
    ),
  },
  { key: 'enrolledAt', title: '报名时间', render: (_, row) => formatDateTime(row.enrolledAt) },
  {
    key: 'actions',
    title: '操作',
    render: (_, row) => (
      <Link to={`/learning/${encodeURIComponent(row.id)}`}>{row.status === 'COMPLETED' ? '查看' : '继续学习'}</Link>
    ),
  },
];

/** 我的课程: the registrant's enrolments, newest first. */
export function MyCoursesPage() {
  const [{ data, error, fetching }] = useQuery({ query: MyEnrolmentsDocument, requestPolicy: 'cache-and-network' });
  return (
    <PageContainer
      title="我的课程"
      description={
        <>
          已报名的继续教育课程。还没有课程？前往 <Link to="/courses">课程目录</Link> 报名。
        </>
      }
    >
      {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
      <Card>
        <Table<Row>
          rowKey="id"
          columns={COLUMNS}
          dataSource={data?.myEnrolments ?? []}
          loading={fetching && !data}
          pagination={false}
          locale={{ emptyText: '尚未报名课程' }}
          scroll={{ x: 'max-content' }}
        />
        <Typography.Text type="secondary" />
      </Card>
    </PageContainer>
  );
}
