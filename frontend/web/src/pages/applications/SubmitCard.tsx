/** 提交前检查 as a checklist, and 提交申请. */
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Alert, App, Button, Card, List, Space, Tag, Typography } from 'antd';
import { CloseCircleOutlined } from '@ant-design/icons';
import { ApplicationPrecheckDocument, ApplicationSubmitDocument } from '../../gql/graphql';
import { describeError, errorMessage } from '../../api/errorMessages';
import type { ApplicationDetail } from '../../registration/useApplication';
import { DOCUMENT_KIND_LABELS } from '../../registration/labels';
import { ChecksList } from '../../registration/ChecksList';

export function SubmitCard({ application, onSubmitted }: { application: ApplicationDetail; onSubmitted: () => void }) {
  const { message, modal } = App.useApp();
  const [{ data, error }, recheck] = useQuery({
    query: ApplicationPrecheckDocument,
    variables: { id: application.id },
    requestPolicy: 'network-only',
  });
  const [{ fetching: submitting }, submit] = useMutation(ApplicationSubmitDocument);
  const [alerts, setAlerts] = useState<string[]>([]);

  // Re-check whenever the application or its documents change.
  const signature = `${application.version}|${application.documents
    .map((document) => `${document.id}:${document.status}:${document.ocrStatus}:${document.confirmedAt ?? ''}`)
    .join(',')}`;
  useEffect(() => {
    recheck({ requestPolicy: 'network-only' });
  }, [signature, recheck]);

  const precheck = data?.applicationPrecheck ?? null;
  const names = new Map<string, string>(application.requiredDocuments.map((r) => [r.kind, r.name]));

  const onSubmit = async () => {
    setAlerts([]);
    const result = await submit({ id: application.id, expectedVersion: application.version });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data?.applicationSubmit;
    if (payload?.application) {
      message.success('申请已提交');
      onSubmitted();
      return;
    }
    const texts = (payload?.errors ?? []).map((e) => errorMessage(e.code, e.message));
    setAlerts(texts.length > 0 ? [...new Set(texts)] : ['提交失败，请稍后再试']);
  };

  // Submission cannot be taken back as an edit: say so before it happens.
  const confirmSubmit = () => {
    modal.confirm({
      title: '确认提交注册申请？',
      content:
        '提交后申请进入审核，申请表和材料不能再修改（审核退回补正时除外）；如需更改，只能撤回申请后重新办理。',
      okText: '确认提交',
      cancelText: '再检查一下',
      onOk: onSubmit,
    });
  };

  return (
    <Card title="提交前检查">
      <Space orientation="vertical" size="middle" className="full-width">
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        {precheck ? (
          <div className="precheck">
            {precheck.ready ? (
              <Alert type="success" showIcon title="材料与资格审查已通过检查，可以提交" />
            ) : (
              <Alert type="warning" showIcon title="尚不满足提交条件，请按下列事项补充" />
            )}
            <Typography.Title level={5}>缺少材料</Typography.Title>
            <List
              size="small"
              bordered
              dataSource={precheck.missingDocuments}
              locale={{ emptyText: '材料已齐全' }}
              renderItem={(kind) => (
                <List.Item>
                  <Space>
                    <CloseCircleOutlined style={{ color: '#ff4d4f' }} />
                    {names.get(kind) ?? DOCUMENT_KIND_LABELS[kind]}
                  </Space>
                </List.Item>
              )}
            />
            <Typography.Title level={5}>资格审查</Typography.Title>
            <ChecksList checks={precheck.checks} empty="暂无审查项目" />
            {precheck.flags.length > 0 ? (
              <>
                <Typography.Title level={5}>提示</Typography.Title>
                <ChecksList checks={precheck.flags} empty="无" />
              </>
            ) : null}
            <Typography.Title level={5}>待解决问题</Typography.Title>
            <List
              size="small"
              bordered
              dataSource={precheck.problems}
              locale={{ emptyText: '无' }}
              renderItem={(problem) => (
                <List.Item>
                  <Space>
                    <Tag color="red">问题</Tag>
                    {errorMessage(problem.code, problem.message)}
                  </Space>
                </List.Item>
              )}
            />
          </div>
        ) : null}
        <div>
          {alerts.map((text) => (
            <Alert key={text} type="error" showIcon title={text} className="form-alert" />
          ))}
        </div>
        <Button type="primary" size="large" loading={submitting} onClick={confirmSubmit}>
          提交申请
        </Button>
      </Space>
    </Card>
  );
}
