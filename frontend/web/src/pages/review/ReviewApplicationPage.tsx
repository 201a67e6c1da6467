/** 审核详情: what a reviewer needs to decide a case, and the actions. */
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Descriptions, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import type { DescriptionsProps, TableProps } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { useViewer } from '../../app/ViewerContext';
import { useApplication } from '../../registration/useApplication';
import type { ApplicationDetail, ApplicationDocumentDetail } from '../../registration/useApplication';
import {
  DOCUMENT_KIND_LABELS,
  KIND_LABELS,
  OCR_FIELD_LABELS,
  OCR_STATUS_LABELS,
  SPECIALTY_LABELS,
  labelFrom,
} from '../../registration/labels';
import {
  IDENTITY_CHECK_STATUS_LABELS,
  VERIFICATION_CHECK_LABELS,
  ocrValueLabel,
  verificationSourceText,
} from '../../labels/enums';
import { formatDateTime, formatSize, ocrStatusColor } from '../../registration/helpers';
import { ApplicationStatusCard } from '../../registration/ApplicationStatusCard';
import { ChecksList } from '../../registration/ChecksList';
import { ReviewActions, reviewStageOf } from './ReviewActions';

type Comparison = ApplicationDetail['comparisons'][number];
type Verification = ApplicationDetail['verifications'][number];

const DOCUMENT_COLUMNS: TableProps<ApplicationDocumentDetail>['columns'] = [
  { key: 'kind', title: '材料', render: (_, d) => d.kindName },
  {
    key: 'file',
    title: '文件',
    render: (_, d) =>
      d.downloadUrl ? (
        <a href={d.downloadUrl} target="_blank" rel="noreferrer">
          {d.filename}
        </a>
      ) : (
        d.filename
      ),
  },
  { key: 'size', title: '大小', render: (_, d) => formatSize(d.size) },
  {
    key: 'ocr',
    title: '识别状态',
    render: (_, d) => <Tag color={ocrStatusColor(d.ocrStatus)}>{OCR_STATUS_LABELS[d.ocrStatus]}</Tag>,
  },
  { key: 'confirmedAt', title: '确认时间', render: (_, d) => formatDateTime(d.confirmedAt) },
];

const COMPARISON_COLUMNS: TableProps<Comparison>['columns'] = [
  { key: 'document', title: '材料', render: (_, c) => DOCUMENT_KIND_LABELS[c.documentKind] },
  { key: 'field', title: '字段', render: (_, c) => labelFrom(OCR_FIELD_LABELS, c.field) },
  { key: 'ocr', title: '识别值', render: (_, c) => (c.ocrValue == null ? '—' : ocrValueLabel(c.field, c.ocrValue)) },
  { key: 'confirmed', title: '确认值', render: (_, c) => (c.confirmedValue == null ? '—' : ocrValueLabel(c.field, c.confirmedValue)) },
  { key: 'expected', title: '登记值', render: (_, c) => (c.expectedValue == null ? '—' : ocrValueLabel(c.field, c.expectedValue)) },
  {
    key: 'agrees',
    title: '核对',
    render: (_, c) =>
      c.agrees === false ? <Tag color="red">不一致</Tag> : c.agrees ? <Tag color="green">一致</Tag> : <Tag>无可比对</Tag>,
  },
];

const VERIFICATION_COLUMNS: TableProps<Verification>['columns'] = [
  { key: 'check', title: '核验项目', render: (_, v) => VERIFICATION_CHECK_LABELS[v.check] ?? v.check },
  {
    key: 'status',
    title: '结果',
    render: (_, v) => (
      <Tag color={v.status === 'VERIFIED' ? 'green' : v.status === 'MISMATCH' ? 'red' : 'default'}>
        {IDENTITY_CHECK_STATUS_LABELS[v.status] ?? v.status}
      </Tag>
    ),
  },
  { key: 'explanation', title: '说明', render: (_, v) => v.explanation },
  { key: 'source', title: '来源', render: (_, v) => verificationSourceText(v.source) },
  { key: 'checkedAt', title: '核验时间', render: (_, v) => formatDateTime(v.checkedAt) },
];

function ApplicantCard({ application }: { application: ApplicationDetail }) {
  const items: DescriptionsProps['items'] = [
    { key: 'name', label: '申请人', children: application.applicant.name },
    {
      key: 'idNumber',
      label: '身份证号码',
      children: (
        <span className="id-number" data-testid="applicant-id-number">
          {application.applicantIdNumber}
        </span>
      ),
    },
    { key: 'employer', label: '聘用单位', children: application.employer.name },
    { key: 'creditCode', label: '统一社会信用代码', children: application.employer.creditCode },
    { key: 'kind', label: '注册类型', children: KIND_LABELS[application.kind] },
    { key: 'specialty', label: '专业类别', children: SPECIALTY_LABELS[application.specialty] },
    { key: 'qualificationNumber', label: '资格证书编号', children: application.form.qualificationNumber ?? '—' },
    { key: 'qualificationDate', label: '资格取得日期', children: application.form.qualificationDate ?? '—' },
    { key: 'school', label: '毕业院校', children: application.form.school ?? '—' },
  ];
  return (
    <Card title="申请人信息">
      <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} items={items} />
    </Card>
  );
}

export function ReviewApplicationPage() {
  const { id = '' } = useParams();
  const { user } = useViewer();
  const { application, error, loaded, refresh } = useApplication(id);
  const stage = application ? reviewStageOf(application.status) : null;
  const backPath = stage === 'FINAL' || (!stage && !user.roles.includes('PROVINCIAL_REVIEWER')) ? '/review/final' : '/review/preliminary';
  const back = (
    <Link to={backPath}>
      <Button icon={<ArrowLeftOutlined />}>返回工作台</Button>
    </Link>
  );

  if (!application) {
    return (
      <PageContainer title="审核申请" extra={back}>
        {error ? (
          <Alert type="error" showIcon title={describeError(error)} />
        ) : loaded ? (
          <Card>
            <Result status="404" title="申请不存在" subTitle="该申请不存在或不在您的审核范围内。" />
          </Card>
        ) : (
          <Spin description="正在加载…" />
        )}
      </PageContainer>
    );
  }

  return (
    <PageContainer
      title={`审核申请：${application.applicant.name}`}
      description={`${KIND_LABELS[application.kind]} · ${application.statusName}`}
      extra={back}
    >
      <Space orientation="vertical" size="large" className="full-width">
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        <Card title="审核操作">
          <Space orientation="vertical" className="full-width">
            <Space>
              <Button onClick={refresh}>
                刷新
              </Button>
              {application.assignedToMe ? <Tag color="blue">我已领取</Tag> : null}
            </Space>
            <ReviewActions application={application} roles={user.roles} onDone={refresh} />
          </Space>
        </Card>
        <ApplicantCard application={application} />
        <Card title="申请材料">
          <Table<ApplicationDocumentDetail>
            rowKey="id"
            size="small"
            columns={DOCUMENT_COLUMNS}
            dataSource={application.documents.filter((d) => d.status === 'CONFIRMED')}
            pagination={false}
            locale={{ emptyText: '暂无材料' }}
            scroll={{ x: 'max-content' }}
          />
        </Card>
        <Card title="信息核对">
          <Table<Comparison>
            rowKey={(c) => `${c.documentKind}.${c.field}`}
            size="small"
            columns={COMPARISON_COLUMNS}
            dataSource={[...application.comparisons]}
            rowClassName={(c) => (c.agrees === false ? 'comparison-mismatch' : '')}
            pagination={false}
            locale={{ emptyText: '暂无核对项目' }}
            scroll={{ x: 'max-content' }}
          />
        </Card>
        <Card title="资格审查">
          <Space orientation="vertical" className="full-width">
            <ChecksList checks={application.checks} empty="暂无审查结果" />
            <Typography.Title level={5}>风险提示</Typography.Title>
            <ChecksList checks={application.flags} empty="无风险提示" />
          </Space>
        </Card>
        <Card title="身份与学历核验">
          <Table<Verification>
            rowKey={(v) => v.check}
            size="small"
            columns={VERIFICATION_COLUMNS}
            dataSource={[...application.verifications]}
            pagination={false}
            locale={{ emptyText: '核验进行中或暂无结果' }}
            scroll={{ x: 'max-content' }}
          />
        </Card>
        <ApplicationStatusCard application={application} />
      </Space>
    </PageContainer>
  );
}
