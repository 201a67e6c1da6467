/** 办理情况: status, statutory clocks, return items, decision reason and the history. */
import { Alert, Card, Descriptions, Empty, List, Space, Tag, Timeline, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import type { ApplicationDetail } from './useApplication';
import { DEADLINE_STAGE_LABELS, DEADLINE_STATUS_LABELS, KIND_LABELS, SPECIALTY_LABELS, labelFrom } from './labels';
import { applicationActionLabel } from '../labels/enums';
import { deadlineColor, formatDateTime } from './helpers';

export function ApplicationStatusCard({ application }: { application: ApplicationDetail }) {
  const items: DescriptionsProps['items'] = [
    { key: 'kind', label: '注册类型', children: KIND_LABELS[application.kind] },
    { key: 'specialty', label: '专业类别', children: SPECIALTY_LABELS[application.specialty] },
    {
      key: 'status',
      label: '申请状态',
      children: (
        <Tag color="blue" data-testid="application-status">
          {application.statusName}
        </Tag>
      ),
    },
    { key: 'employer', label: '聘用单位', children: application.employer.name },
    { key: 'submittedAt', label: '提交时间', children: formatDateTime(application.submittedAt) || '未提交' },
    {
      key: 'dueAt',
      label: '办理时限',
      children: application.dueAt ? (
        <Space size={4}>
          {formatDateTime(application.dueAt)}
          {application.deadlineStatus ? (
            <Tag color={deadlineColor(application.deadlineStatus)}>{DEADLINE_STATUS_LABELS[application.deadlineStatus]}</Tag>
          ) : null}
        </Space>
      ) : (
        '—'
      ),
    },
    { key: 'preliminary', label: '初审人员', children: application.preliminaryReviewerName ?? '—' },
    { key: 'final', label: '终审人员', children: application.finalReviewerName ?? '—' },
    { key: 'decidedAt', label: '办结时间', children: formatDateTime(application.decidedAt) || '—' },
  ];

  return (
    <Card title="办理情况">
      <Space orientation="vertical" size="middle" className="full-width">
        {application.returnItems.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            title="退回补正事项"
            description={
              <ol>
                {application.returnItems.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ol>
            }
          />
        ) : null}
        {application.decisionReason ? (
          <Alert type="info" showIcon title="审核意见" description={application.decisionReason} />
        ) : null}
        <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} items={items} />
        {application.deadlines.length > 0 ? (
          <>
            <Typography.Title level={5}>法定时限</Typography.Title>
            <List
              size="small"
              bordered
              dataSource={application.deadlines}
              renderItem={(deadline) => (
                <List.Item>
                  <Space>
                    <span>{labelFrom(DEADLINE_STAGE_LABELS, deadline.stage)}</span>
                    <span>截止 {formatDateTime(deadline.dueAt)}</span>
                    {deadline.breached ? <Tag color="red">已超时</Tag> : null}
                  </Space>
                </List.Item>
              )}
            />
          </>
        ) : null}
        <Typography.Title level={5}>流转记录</Typography.Title>
        {application.history.length > 0 ? (
          <Timeline
            items={application.history.map((event, index) => ({
              key: `${event.action}-${index}`,
              content: (
                <div>
                  <Space size={8} wrap>
                    <Typography.Text strong>{formatDateTime(event.at)}</Typography.Text>
                    <span>{event.actorName ?? '系统'}</span>
                    <Tag>{applicationActionLabel(event.action)}</Tag>
                  </Space>
                  {event.reason ? <div>理由：{event.reason}</div> : null}
                  {event.items.length > 0 ? <div>补正事项：{event.items.join('；')}</div> : null}
                </div>
              ),
            }))}
          />
        ) : (
          <Empty description="暂无流转记录" image={Empty.PRESENTED_IMAGE_SIMPLE} />
        )}
      </Space>
    </Card>
  );
}
