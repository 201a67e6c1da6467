import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { Alert, App, Button, Card, Descriptions, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import type { TableProps } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { CourseStatisticsDocument, HoursImportDocument, TrainerCoursesDocument } from '../../gql/graphql';
import type { CourseStatisticsQuery, HoursImportMutation, TrainerCoursesQuery } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError, errorMessage } from '../../api/errorMessages';
import { COURSE_STATUS_LABELS, SUBJECT_KIND_LABELS } from '../../education/labels';
import { bytesToBase64, formatHours, formatRate } from '../../education/helpers';

type CourseRow = TrainerCoursesQuery['courses']['edges'][number]['node'];
type StatRow = CourseStatisticsQuery['courseStatistics'][number];
type ImportResult = HoursImportMutation['hoursImport'];

const STATUS_COLORS = { DRAFT: 'default', PUBLISHED: 'green', CLOSED: 'red' } as const;

const COURSE_COLUMNS: TableProps<CourseRow>['columns'] = [
  { key: 'code', title: '课程编号', render: (_, c) => c.code },
  {
    key: 'title',
    title: '课程名称',
    render: (_, c) => <Link to={`/trainer/courses/${encodeURIComponent(c.id)}`}>{c.title}</Link>,
  },
  { key: 'kind', title: '科目类型', render: (_, c) => SUBJECT_KIND_LABELS[c.subjectKind] },
  { key: 'hours', title: '学时', render: (_, c) => formatHours(c.hours) },
  { key: 'window', title: '开放时间', render: (_, c) => `${c.opensOn} 至 ${c.closesOn}` },
  { key: 'enrolled', title: '名额/已报名', render: (_, c) => `${c.capacity ?? '不限'} / ${c.enrolledCount}` },
  { key: 'status', title: '状态', render: (_, c) => <Tag color={STATUS_COLORS[c.status]}>{COURSE_STATUS_LABELS[c.status]}</Tag> },
  {
    key: 'actions',
    title: '操作',
    render: (_, c) => <Link to={`/trainer/courses/${encodeURIComponent(c.id)}`}>{c.status === 'DRAFT' ? '编辑' : '查看'}</Link>,
  },
];

const STAT_COLUMNS: TableProps<StatRow>['columns'] = [
  { key: 'course', title: '课程', render: (_, s) => `${s.course.code} ${s.course.title}` },
  { key: 'enrolled', title: '报名人数', render: (_, s) => s.enrolled },
  { key: 'units', title: '学完全部单元', render: (_, s) => s.unitsCompleted },
  { key: 'completed', title: '结业人数', render: (_, s) => s.completed },
  { key: 'rate', title: '结业率', render: (_, s) => formatRate(s.completionRate) },
  { key: 'attempts', title: '考试人次', render: (_, s) => s.attempts },
  { key: 'pass', title: '考试通过率', render: (_, s) => formatRate(s.passRate) },
];

function CoursesTab() {
  const [{ data, error, fetching }] = useQuery({ query: TrainerCoursesDocument, requestPolicy: 'cache-and-network' });
  return (
    <Space orientation="vertical" className="full-width">
      {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
      <Table<CourseRow>
        rowKey="id"
        columns={COURSE_COLUMNS}
        dataSource={data?.courses.edges.map((e) => e.node) ?? []}
        loading={fetching && !data}
        pagination={false}
        locale={{ emptyText: '本机构尚无课程' }}
        scroll={{ x: 'max-content' }}
      />
    </Space>
  );
}

function StatisticsTab() {
  const [{ data, error, fetching }] = useQuery({ query: CourseStatisticsDocument, requestPolicy: 'cache-and-network' });
  return (
    <Space orientation="vertical" className="full-width">
      {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
      <Table<StatRow>
        rowKey={(s) => s.course.id}
        columns={STAT_COLUMNS}
        dataSource={data?.courseStatistics ?? []}
        loading={fetching && !data}
        pagination={false}
        locale={{ emptyText: '暂无统计' }}
        scroll={{ x: 'max-content' }}
      />
    </Space>
  );
}

function ImportTab() {
  const { message } = App.useApp();
  const [, importHours] = useMutation(HoursImportDocument);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const upload = async (file: File) => {
    setBusy(true);
    setFailure(null);
    setResult(null);
    try {
      const content = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
      const response = await importHours({ filename: file.name, contentBase64: content });
      if (response.error) {
        setFailure(describeError(response.error));
        return;
      }
      const payload = response.data?.hoursImport ?? null;
      if (payload?.errors.length) {
        setFailure(payload.errors.map((e) => errorMessage(e.code, e.message)).join('；'));
      }
      setResult(payload);
      if (payload?.hourImport) message.success(`已导入 ${payload.hourImport.acceptedRows} 行`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" className="full-width">
      <Typography.Paragraph type="secondary">
        上传 CSV 文件（UTF-8 或 GBK），逐行校验：身份证号、姓名、课程编号、科目类型、学时、完成日期。合格的行计入学员学时并标记为外部导入，有误的行列在错误报告中。
      </Typography.Paragraph>
      <Upload
        accept=".csv,text/csv"
        showUploadList={false}
        beforeUpload={(file) => {
          void upload(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy}>
          选择 CSV 文件导入
        </Button>
      </Upload>
      {failure ? <Alert type="error" showIcon title={failure} /> : null}
      {result?.hourImport ? (
        <Descriptions bordered size="small" column={{ xs: 1, sm: 2, md: 4 }}>
          <Descriptions.Item label="文件">{result.hourImport.filename}</Descriptions.Item>
          <Descriptions.Item label="数据行数">{result.hourImport.totalRows}</Descriptions.Item>
          <Descriptions.Item label="已导入">{result.hourImport.acceptedRows}</Descriptions.Item>
          <Descriptions.Item label="有错误">{result.hourImport.errorRows}</Descriptions.Item>
          {result.hourImport.reportUrl ? (
            <Descriptions.Item label="错误报告">
              <a href={result.hourImport.reportUrl} target="_blank" rel="noreferrer">
                下载错误报告
              </a>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      ) : null}
      {result?.rowErrors.length ? (
        <Table
          rowKey={(r) => `${r.line}:${r.column ?? ''}:${r.code}`}
          size="small"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          dataSource={result.rowErrors}
          scroll={{ x: 'max-content' }}
          columns={[
            { key: 'line', title: '行号', render: (_, r) => r.line },
            { key: 'column', title: '列', render: (_, r) => r.column ?? '—' },
            { key: 'code', title: '错误代码', render: (_, r) => r.code },
            { key: 'message', title: '说明', render: (_, r) => r.message },
          ]}
        />
      ) : null}
    </Space>
  );
}

/** 课程管理: the provider's courses, results, and 外部学时导入. */
export function TrainerCoursesPage() {
  const navigate = useNavigate();
  return (
    <PageContainer
      title="课程管理"
      description="本机构的继续教育课程：编辑、题库、课件、发布与结课，以及结业统计和外部学时导入。"
      extra={
        <Button type="primary" onClick={() => navigate('/trainer/courses/new')}>
          新建课程
        </Button>
      }
    >
      <Card>
        <Tabs
          items={[
            { key: 'courses', label: '我的课程', children: <CoursesTab /> },
            { key: 'stats', label: '结业统计', children: <StatisticsTab /> },
            { key: 'import', label: '外部学时导入', children: <ImportTab /> },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
