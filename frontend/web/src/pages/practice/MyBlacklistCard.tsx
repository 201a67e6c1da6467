import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { BlacklistRemovalRequestDocument, MyBlacklistDocument } from '../../gql/graphql';
import type { MyBlacklistQuery } from '../../gql/graphql';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import { formatChineseDate } from '../../education/helpers';
import { PRACTICE_ERROR_MESSAGES } from '../../practice/labels';

type Entry = MyBlacklistQuery['blacklist']['edges'][number]['node'];

/** Whether the person may ask for removal today (policy: 12 months after listing). */
export function removalOpen(entry: Pick<Entry, 'current' | 'removalOpensOn' | 'removalRequestedAt'>, today: string): boolean {
  return entry.current && entry.removalRequestedAt == null && entry.removalOpensOn <= today;
}

/**
 * 失信名单 on 信用画像: the engineer's own entries (shown only when there are any), with
 * the dates of the listing period and 申请移出 once the policy allows it.
 */
export function MyBlacklistCard() {
  const { message } = App.useApp();
  const [{ data, error }, refetch] = useQuery({ query: MyBlacklistDocument, requestPolicy: 'cache-and-network' });
  const [requesting, setRequesting] = useState<Entry | null>(null);
  const [alerts, setAlerts] = useState<string[]>([]);
  const [form] = Form.useForm<{ note: string }>();
  const [{ fetching }, request] = useMutation(BlacklistRemovalRequestDocument);
  const entries = data?.blacklist.edges.map((e) => e.node) ?? [];
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  if (error) return <Alert type="error" showIcon title={describeError(error)} />;
  if (entries.length === 0) return null;

  const finish = async ({ note }: { note: string }) => {
    if (!requesting) return;
    setAlerts([]);
    const result = await request({ id: requesting.id, note: note.trim() });
    if (result.error) return setAlerts([describeError(result.error)]);
    const payload = result.data?.blacklistRemovalRequest;
    if (!payload) return;
    if (payload.errors.length > 0) {
      const { fields, messages } = formErrors<{ note: string }>(payload.errors, {
        fields: ['note'],
        messages: PRACTICE_ERROR_MESSAGES,
      });
      form.setFields(fields);
      return setAlerts(messages);
    }
    message.success('移出申请已提交，等待审核');
    setRequesting(null);
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <Card title="严重失信主体名单">
      <Table<Entry>
        rowKey="id"
        size="small"
        pagination={false}
        aria-label="我的失信名单记录"
        dataSource={entries}
        columns={[
          { key: 'grounds', title: '列入事由', render: (_, e) => e.grounds },
          { key: 'decision', title: '决定', render: (_, e) => `${e.authority} ${e.decisionRef}` },
          {
            key: 'period',
            title: '列入期间',
            render: (_, e) => `${formatChineseDate(e.listedOn)}至${formatChineseDate(e.expiresOn)}`,
          },
          {
            key: 'status',
            title: '状态',
            render: (_, e) =>
              e.removedAt ? (
                <Tag>已移出</Tag>
              ) : e.current ? (
                <Tag color="red">在列（期间不得申请注册）</Tag>
              ) : (
                <Tag>已期满</Tag>
              ),
          },
          {
            key: 'action',
            title: '移出申请',
            render: (_, e) =>
              e.removalRequestedAt ? (
                <Typography.Text type="secondary">已申请，待审核</Typography.Text>
              ) : removalOpen(e, today) ? (
                <Button size="small" onClick={() => setRequesting(e)}>
                  申请移出
                </Button>
              ) : e.current ? (
                <Typography.Text type="secondary">{formatChineseDate(e.removalOpensOn)}起可申请</Typography.Text>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <Modal
        open={requesting !== null}
        title="申请移出严重失信主体名单"
        okText="提交申请"
        cancelText="取消"
        confirmLoading={fetching}
        onOk={() => form.submit()}
        onCancel={() => setRequesting(null)}
        destroyOnHidden
      >
        <Space orientation="vertical" className="full-width">
          {alerts.map((text) => (
            <Alert key={text} type="error" showIcon title={text} />
          ))}
          <Form form={form} layout="vertical" onFinish={finish} preserve={false}>
            <Form.Item name="note" label="申请说明（整改情况等）" rules={[{ required: true, whitespace: true, message: '请填写申请说明' }]}>
              <Input.TextArea rows={4} maxLength={1000} showCount />
            </Form.Item>
          </Form>
        </Space>
      </Modal>
    </Card>
  );
}
