/** 申请详情 (申请人): materials, 申请表, 提交前检查, and the progress after submission. */
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Result, Space, Spin } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { useApplication } from '../../registration/useApplication';
import { KIND_LABELS } from '../../registration/labels';
import { ApplicationStatusCard } from '../../registration/ApplicationStatusCard';
import { DocumentsCard } from './DocumentsCard';
import { ApplicationFormCard } from './ApplicationFormCard';
import { SubmitCard } from './SubmitCard';

/** Statuses in which the registrant may still change the application. */
export const EDITABLE_STATUSES: ReadonlySet<string> = new Set(['DRAFT', 'RETURNED_FOR_CORRECTION']);

export function ApplicationDetailPage() {
  const { id = '' } = useParams();
  const { application, error, loaded, refresh } = useApplication(id);
  const back = (
    <Link to="/applications">
      <Button icon={<ArrowLeftOutlined />}>返回我的申请</Button>
    </Link>
  );

  if (!application) {
    return (
      <PageContainer title="申请详情" extra={back}>
        {error ? (
          <Alert type="error" showIcon title={describeError(error)} />
        ) : loaded ? (
          <Card>
            <Result status="404" title="申请不存在" subTitle="该申请不存在或您无权查看。" />
          </Card>
        ) : (
          <Spin description="正在加载…" />
        )}
      </PageContainer>
    );
  }

  const editable = EDITABLE_STATUSES.has(application.status);
  return (
    <PageContainer
      title={`${KIND_LABELS[application.kind]}申请`}
      description={`状态：${application.statusName}`}
      extra={back}
    >
      <Space orientation="vertical" size="large" className="full-width">
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        <ApplicationStatusCard application={application} />
        <DocumentsCard application={application} editable={editable} onChanged={refresh} />
        <ApplicationFormCard key={application.id} application={application} editable={editable} onSaved={refresh} />
        {editable ? <SubmitCard application={application} onSubmitted={refresh} /> : null}
      </Space>
    </PageContainer>
  );
}
