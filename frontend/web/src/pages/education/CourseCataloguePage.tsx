import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { Alert, App, Button, Card, Flex, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { CourseCatalogueDocument, CourseEnrolDocument } from '../../gql/graphql';
import type { CourseCatalogueQuery, CourseFilter, Specialty, SubjectKind } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import '../../education/education.css';
import { describeError, errorMessage } from '../../api/errorMessages';
import { SPECIALTY_LABELS } from '../../registration/labels';
import { SUBJECT_KIND_LABELS } from '../../education/labels';
import { formatHours } from '../../education/helpers';

type Row = CourseCatalogueQuery['courses']['edges'][number]['node'];

const SPECIALTY_OPTIONS = (Object.keys(SPECIALTY_LABELS) as Specialty[]).map((value) => ({
  value,
  label: SPECIALTY_LABELS[value],
}));
const KIND_OPTIONS = (Object.keys(SUBJECT_KIND_LABELS) as SubjectKind[]).map((value) => ({
  value,
  label: SUBJECT_KIND_LABELS[value],
}));

/** 课程目录: published courses with filters, 报名 and 继续学习. */
export function CourseCataloguePage() {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [specialty, setSpecialty] = useState<Specialty | undefined>();
  const [subjectKind, setSubjectKind] = useState<SubjectKind | undefined>();
  const [openOnly, setOpenOnly] = useState(true);
  const [title, setTitle] = useState('');
  const filter = useMemo<CourseFilter>(
    () => ({
      specialty: specialty ?? null,
      subjectKind: subjectKind ?? null,
      open: openOnly ? true : null,
      titleContains: title.trim() || null,
    }),
    [specialty, subjectKind, openOnly, title],
  );
  const [{ data, error, fetching }, refetch] = useQuery({
    query: CourseCatalogueDocument,
    variables: { filter },
    requestPolicy: 'cache-and-network',
  });
  const [enrolling, setEnrolling] = useState<string | null>(null);
  const [, enrol] = useMutation(CourseEnrolDocument);
  const rows = data?.courses.edges.map((edge) => edge.node) ?? [];

  const doEnrol = async (course: Row) => {
    setEnrolling(course.id);
    const result = await enrol({ courseId: course.id });
    setEnrolling(null);
    if (result.error) {
      message.error(describeError(result.error));
      return;
    }
    const payload = result.data?.courseEnrol;
    if (payload?.errors.length) {
      for (const e of payload.errors) message.error(errorMessage(e.code, e.message));
      refetch({ requestPolicy: 'network-only' });
      return;
    }
    if (payload?.enrolment) {
      message.success(`已报名“${course.title}”`);
      navigate(`/learning/${encodeURIComponent(payload.enrolment.id)}`);
    }
  };

  const columns: TableProps<Row>['columns'] = [
    {
      key: 'title',
      title: '课程名称',
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{row.title}</Typography.Text>
          <Typography.Text type="secondary">{row.code}</Typography.Text>
        </Space>
      ),
    },
    { key: 'provider', title: '培训机构', render: (_, row) => row.provider.name },
    {
      key: 'kind',
      title: '科目类型',
      render: (_, row) => (
        <Space size={4} wrap>
          <Tag color={row.subjectKind === 'PROFESSIONAL' ? 'blue' : 'default'}>{SUBJECT_KIND_LABELS[row.subjectKind]}</Tag>
          {row.specialty ? <Tag>{SPECIALTY_LABELS[row.specialty]}</Tag> : <Tag>各专业</Tag>}
        </Space>
      ),
    },
    { key: 'hours', title: '学时', render: (_, row) => formatHours(row.hours) },
    { key: 'window', title: '开放时间', render: (_, row) => `${row.opensOn} 至 ${row.closesOn}` },
    {
      key: 'capacity',
      title: '名额/已报名',
      render: (_, row) => `${row.capacity ?? '不限'} / ${row.enrolledCount}`,
    },
    {
      key: 'exam',
      title: '考试',
      render: (_, row) => (row.hasExam ? `${row.examQuestionCount}题，${row.passMark}分及格` : '无'),
    },
    {
      key: 'actions',
      title: '操作',
      render: (_, row) => {
        if (row.myEnrolment) {
          return (
            <Link to={`/learning/${encodeURIComponent(row.myEnrolment.id)}`} aria-label={`继续学习 ${row.title}`}>
              {row.myEnrolment.status === 'COMPLETED' ? '查看（已结业）' : `继续学习（${row.myEnrolment.percent}%）`}
            </Link>
          );
        }
        const full = row.capacity !== null && row.capacity !== undefined && row.enrolledCount >= row.capacity;
        return (
          <Button
            type="primary"
            size="small"
            disabled={!row.isOpen || full}
            loading={enrolling === row.id}
            onClick={() => void doEnrol(row)}
            aria-label={`报名 ${row.title}`}
          >
            {full ? '名额已满' : row.isOpen ? '报名' : '未开放'}
          </Button>
        );
      },
    },
  ];

  return (
    <PageContainer title="课程目录" description="选择继续教育课程报名学习；完成全部单元并通过考试后自动认定学时。">
      <Space orientation="vertical" size="large" className="full-width">
        <Card size="small">
          <Flex gap={16} wrap align="center">
            <Input.Search
              allowClear
              placeholder="课程名称"
              aria-label="课程名称"
              style={{ width: 220 }}
              onSearch={setTitle}
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
              placeholder="科目类型"
              aria-label="科目类型"
              options={KIND_OPTIONS}
              value={subjectKind}
              onChange={setSubjectKind}
              style={{ minWidth: 140 }}
            />
            <Space>
              <Switch checked={openOnly} onChange={setOpenOnly} aria-label="仅显示开放中" />
              <span>仅显示开放中</span>
            </Space>
          </Flex>
        </Card>
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        <Card>
          <Table<Row>
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={fetching && !data}
            pagination={false}
            locale={{ emptyText: '暂无符合条件的课程' }}
            scroll={{ x: 'max-content' }}
          />
          {data ? (
            <Typography.Text type="secondary" className="table-footnote">
              共 {data.courses.totalCount} 门课程
            </Typography.Text>
          ) : null}
        </Card>
      </Space>
    </PageContainer>
  );
}
