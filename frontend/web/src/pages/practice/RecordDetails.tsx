import { Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import type { PracticeRecordsQuery } from '../../gql/graphql';
import { formatChineseDate } from '../../education/helpers';
import { formatChineseDay } from '../../certificates/helpers';
import { DIMENSIONS, DIMENSION_LABELS, PRACTICE_KIND_LABELS, RECORD_STATUS_COLORS, RECORD_STATUS_LABELS } from '../../practice/labels';
import { formatBytes } from '../../practice/helpers';

export type PracticeRecordRow = PracticeRecordsQuery['practiceRecords']['edges'][number]['node'];
export type EvaluationRow = PracticeRecordRow['evaluations'][number];

export function RecordStatusTag({ status }: { status: PracticeRecordRow['status'] }) {
  return (
    <Tag color={RECORD_STATUS_COLORS[status]} data-testid="record-status">
      {RECORD_STATUS_LABELS[status]}
    </Tag>
  );
}

/** A record's fields, its evidence (with download links) and its status. */
export function RecordDescriptions({ record }: { record: PracticeRecordRow }) {
  return (
    <Space orientation="vertical" size="middle" className="full-width">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="执业人员">{record.personName}</Descriptions.Item>
        <Descriptions.Item label="执业类型">{PRACTICE_KIND_LABELS[record.kind]}</Descriptions.Item>
        <Descriptions.Item label="项目/服务单位">{record.project}</Descriptions.Item>
        <Descriptions.Item label="聘用单位">{record.employerName}</Descriptions.Item>
        {record.clientName ? (
          <Descriptions.Item label="委托单位">
            {record.clientName}（{record.clientCreditCode}）
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label="承担角色">{record.role}</Descriptions.Item>
        <Descriptions.Item label="起止日期">
          {formatChineseDate(record.startedOn)}至{formatChineseDate(record.endedOn)}
        </Descriptions.Item>
        {record.hazardsFound !== null ? (
          <Descriptions.Item label="发现/整改隐患">
            {record.hazardsFound} 项 / {record.hazardsRectified ?? 0} 项
          </Descriptions.Item>
        ) : null}
        {record.projectLeadName ? <Descriptions.Item label="项目负责人">{record.projectLeadName}</Descriptions.Item> : null}
        <Descriptions.Item label="工作内容">
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
            {record.description || '—'}
          </Typography.Paragraph>
        </Descriptions.Item>
        <Descriptions.Item label="状态">
          <Space>
            <RecordStatusTag status={record.status} />
            {record.submittedAt ? <Typography.Text type="secondary">提交于 {formatChineseDay(record.submittedAt)}</Typography.Text> : null}
          </Space>
        </Descriptions.Item>
        {record.rejectionReason ? <Descriptions.Item label="退回理由">{record.rejectionReason}</Descriptions.Item> : null}
      </Descriptions>
      <div>
        <Typography.Title level={5}>证明材料</Typography.Title>
        {record.evidence.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无证明材料" />
        ) : (
          <ul aria-label="证明材料" className="practice-evidence-list" style={{ listStyle: 'none', paddingLeft: 0, margin: 0 }}>
            {record.evidence.map((e) => (
              <li key={e.sha256} style={{ padding: '4px 0' }}>
                <Space wrap>
                  {e.downloadUrl ? (
                    <a href={e.downloadUrl} target="_blank" rel="noreferrer" aria-label={`下载 ${e.filename}`}>
                      {e.filename}
                    </a>
                  ) : (
                    e.filename
                  )}
                  <Typography.Text type="secondary">
                    {e.mediaType} · {formatBytes(e.size)} · SHA-256 {e.sha256.slice(0, 12)}…
                  </Typography.Text>
                </Space>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Space>
  );
}

/** Every evaluation version, newest first; the latest is the one that counts. */
export function EvaluationHistory({ evaluations }: { evaluations: readonly EvaluationRow[] }) {
  if (evaluations.length === 0) return <Typography.Text type="secondary">尚未评价</Typography.Text>;
  const rows = [...evaluations].sort((a, b) => b.versionNo - a.versionNo);
  const latest = rows[0]?.versionNo;
  return (
    <Table<EvaluationRow>
      rowKey="id"
      size="small"
      pagination={false}
      aria-label="评价记录"
      dataSource={rows}
      columns={[
        {
          key: 'version',
          title: '版本',
          render: (_, e) => (
            <Space>
              第{e.versionNo}版{e.versionNo === latest ? <Tag color="success">有效</Tag> : <Tag>已更正</Tag>}
            </Space>
          ),
        },
        ...DIMENSIONS.map((d) => ({ key: d, title: DIMENSION_LABELS[d], render: (_: unknown, e: EvaluationRow) => e[d] })),
        { key: 'average', title: '平均分', render: (_, e) => <span data-testid="evaluation-average">{e.average.toFixed(2)}</span> },
        { key: 'comment', title: '评语', render: (_, e) => e.comment || '—' },
        { key: 'by', title: '评价人', render: (_, e) => `${e.evaluatorName ?? '—'} ${formatChineseDay(e.submittedAt)}` },
      ]}
    />
  );
}
