import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Alert, App, Button, Card, Drawer, Flex, Form, Input, Modal, Rate, Space, Table, Tabs, Typography } from 'antd';
import type { TableProps } from 'antd';
import {
  EvaluationCorrectDocument,
  EvaluationSubmitDocument,
  PracticeRecordConfirmDocument,
  PracticeRecordRejectDocument,
  PracticeRecordsDocument,
  PracticeRecordsToEvaluateDocument,
} from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import { formatChineseDate } from '../../education/helpers';
import { DIMENSIONS, DIMENSION_LABELS, PRACTICE_ERROR_MESSAGES, PRACTICE_KIND_LABELS } from '../../practice/labels';
import type { Dimension } from '../../practice/labels';
import { EvaluationHistory, RecordDescriptions, RecordStatusTag } from './RecordDetails';
import type { PracticeRecordRow } from './RecordDetails';


type EvaluationValues = Record<Dimension, number> & { comment?: string };

const DIMENSION_HINTS: Readonly<Record<Dimension, string>> = {
  quality: '成果是否完整、准确、可用',
  timeliness: '是否按计划完成',
  compliance: '是否符合法规、标准和程序',
  conduct: '是否客观公正、廉洁守信',
};

/** The evaluation form: four dimensions 1–5 (antd Rate) and a comment; or a correction. */
function EvaluationForm({
  record,
  correcting,
  onDone,
}: {
  record: PracticeRecordRow;
  /** Correct this record's latest evaluation (a new version) instead of a first one. */
  correcting: boolean;
  onDone: (record: PracticeRecordRow | null) => void;
}) {
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<EvaluationValues>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching: submitting }, submit] = useMutation(EvaluationSubmitDocument);
  const [{ fetching: correctingNow }, correct] = useMutation(EvaluationCorrectDocument);
  const latest = record.evaluation;

  // An evaluation confirms the record and counts in the engineer's credit score at once;
  // it cannot be withdrawn, only corrected with a reason: say so before it is sent.
  const confirmFinish = (values: EvaluationValues) => {
    modal.confirm({
      title: '确认提交评价？',
      content: '提交后即确认该执业记录并计入工程师的信用分，不能撤回；如有错误，只能提交更正并说明理由。',
      okText: '确认提交',
      cancelText: '再检查一下',
      onOk: () => finish(values),
    });
  };

  const finish = async (values: EvaluationValues) => {
    setAlerts([]);
    const scores = {
      quality: values.quality,
      timeliness: values.timeliness,
      compliance: values.compliance,
      conduct: values.conduct,
    };
    const comment = (values.comment ?? '').trim();
    const result =
      correcting && latest
        ? await correct({ evaluationId: latest.id, scores, comment })
        : await submit({ recordId: record.id, scores, comment });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload =
      result.data && ('evaluationCorrect' in result.data ? result.data.evaluationCorrect : result.data.evaluationSubmit);
    if (!payload) return;
    if (payload.errors.length > 0) {
      const { fields, messages } = formErrors<EvaluationValues>(
        payload.errors.map((e) => ({ ...e, field: e.field?.replace(/^scores\./, '') ?? null })),
        { fields: [...DIMENSIONS, 'comment'], messages: PRACTICE_ERROR_MESSAGES },
      );
      form.setFields(fields);
      setAlerts(messages);
      return;
    }
    message.success(correcting ? '评价已更正（新版本）' : '评价已提交，记录已确认');
    onDone(payload.record ?? null);
  };

  return (
    <Card size="small" title={correcting ? '更正评价（保留历史版本）' : '评价'}>
      {alerts.map((text) => (
        <Alert key={text} type="error" showIcon title={text} style={{ marginBottom: 12 }} />
      ))}
      <Form<EvaluationValues>
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        onFinish={(values) => (correcting ? finish(values) : confirmFinish(values))}
        name={correcting ? 'evaluation-correct' : 'evaluation'}
        initialValues={
          correcting && latest
            ? { quality: latest.quality, timeliness: latest.timeliness, compliance: latest.compliance, conduct: latest.conduct }
            : undefined
        }
      >
        {DIMENSIONS.map((d) => (
          <Form.Item
            key={d}
            name={d}
            label={DIMENSION_LABELS[d]}
            extra={DIMENSION_HINTS[d]}
            rules={[{ required: true, message: `请为${DIMENSION_LABELS[d]}打分（1–5分）` }]}
          >
            <Rate
              data-testid={`rate-${d}`}
              aria-label={DIMENSION_LABELS[d]}
              tooltips={['1分 差', '2分 较差', '3分 一般', '4分 良好', '5分 优秀']}
            />
          </Form.Item>
        ))}
        <Form.Item
          name="comment"
          label={correcting ? '更正理由' : '评语'}
          rules={correcting ? [{ required: true, whitespace: true, message: '请填写更正理由' }] : []}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
        <Flex justify="flex-end">
          <Button type="primary" htmlType="submit" loading={submitting || correctingNow}>
            {correcting ? '提交更正' : '提交评价'}
          </Button>
        </Flex>
      </Form>
    </Card>
  );
}

function RejectModal({
  record,
  open,
  onClose,
  onRejected,
}: {
  record: PracticeRecordRow;
  open: boolean;
  onClose: () => void;
  onRejected: () => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching }, reject] = useMutation(PracticeRecordRejectDocument);
  const finish = async ({ reason }: { reason: string }) => {
    setAlerts([]);
    const result = await reject({ id: record.id, expectedVersion: record.version, reason: reason.trim() });
    if (result.error) return setAlerts([describeError(result.error)]);
    const payload = result.data?.practiceRecordReject;
    if (!payload) return;
    if (payload.errors.length > 0) {
      const { fields, messages } = formErrors<{ reason: string }>(payload.errors, {
        fields: ['reason'],
        messages: PRACTICE_ERROR_MESSAGES,
      });
      form.setFields(fields);
      return setAlerts(messages);
    }
    onRejected();
  };
  return (
    <Modal
      open={open}
      title="退回执业记录"
      okText="确认退回"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {alerts.map((text) => (
        <Alert key={text} type="error" showIcon title={text} />
      ))}
      <Form form={form} layout="vertical" onFinish={finish} preserve={false}>
        <Form.Item name="reason" label="退回理由" rules={[{ required: true, whitespace: true, message: '请填写退回理由' }]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The record in a drawer: details, evidence, confirm / reject, the evaluation form. */
function RecordDrawer({ record, onClose, onChanged }: { record: PracticeRecordRow | null; onClose: () => void; onChanged: (r: PracticeRecordRow | null) => void }) {
  const { message } = App.useApp();
  const [rejecting, setRejecting] = useState(false);
  const [correcting, setCorrecting] = useState(false);
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching: confirming }, confirm] = useMutation(PracticeRecordConfirmDocument);

  const doConfirm = async (r: PracticeRecordRow) => {
    setAlerts([]);
    const result = await confirm({ id: r.id, expectedVersion: r.version });
    if (result.error) return setAlerts([describeError(result.error)]);
    const payload = result.data?.practiceRecordConfirm;
    if (!payload) return;
    if (payload.errors.length > 0) {
      return setAlerts(formErrors(payload.errors, { fields: [], messages: PRACTICE_ERROR_MESSAGES }).messages);
    }
    message.success('执业记录已确认');
    onChanged(payload.record ?? null);
  };

  return (
    <Drawer
      open={record !== null}
      onClose={() => {
        setCorrecting(false);
        setAlerts([]);
        onClose();
      }}
      size={760}
      title={record ? `${record.personName}：${PRACTICE_KIND_LABELS[record.kind]} ${record.project}` : ''}
      destroyOnHidden
    >
      {record ? (
        <Space orientation="vertical" size="large" className="full-width">
          {alerts.map((text) => (
            <Alert key={text} type="error" showIcon title={text} />
          ))}
          <RecordDescriptions record={record} />
          {record.status === 'SUBMITTED' ? (
            <Space wrap>
              <Button loading={confirming} onClick={() => void doConfirm(record)}>
                确认记录
              </Button>
              <Button danger onClick={() => setRejecting(true)}>
                退回
              </Button>
              <Typography.Text type="secondary">提交评价也会确认该记录。</Typography.Text>
            </Space>
          ) : null}
          {(record.status === 'SUBMITTED' || record.status === 'CONFIRMED') && !record.evaluation ? (
            <EvaluationForm record={record} correcting={false} onDone={onChanged} />
          ) : null}
          {record.evaluation ? (
            <div>
              <Flex justify="space-between" align="center">
                <Typography.Title level={5}>评价记录</Typography.Title>
                {!correcting ? <Button onClick={() => setCorrecting(true)}>更正评价</Button> : null}
              </Flex>
              <EvaluationHistory evaluations={record.evaluations} />
            </div>
          ) : null}
          {correcting && record.evaluation ? (
            <EvaluationForm
              record={record}
              correcting
              onDone={(r) => {
                setCorrecting(false);
                onChanged(r);
              }}
            />
          ) : null}
          <RejectModal
            record={record}
            open={rejecting}
            onClose={() => setRejecting(false)}
            onRejected={() => {
              setRejecting(false);
              message.success('执业记录已退回');
              onChanged(null);
            }}
          />
        </Space>
      ) : null}
    </Drawer>
  );
}

function recordColumns(open: (r: PracticeRecordRow) => void, action: string): TableProps<PracticeRecordRow>['columns'] {
  return [
    { key: 'person', title: '执业人员', render: (_, r) => r.personName },
    { key: 'kind', title: '执业类型', render: (_, r) => PRACTICE_KIND_LABELS[r.kind] },
    { key: 'project', title: '项目/服务单位', render: (_, r) => r.project },
    {
      key: 'dates',
      title: '起止日期',
      render: (_, r) => `${formatChineseDate(r.startedOn)}至${formatChineseDate(r.endedOn)}`,
    },
    { key: 'evidence', title: '证明材料', render: (_, r) => `${r.evidence.length} 份` },
    { key: 'status', title: '状态', render: (_, r) => <RecordStatusTag status={r.status} /> },
    {
      key: 'evaluation',
      title: '评价',
      render: (_, r) => (r.evaluation ? `第${r.evaluation.versionNo}版 平均 ${r.evaluation.average.toFixed(2)} 分` : '—'),
    },
    {
      key: 'action',
      title: '操作',
      render: (_, r) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => open(r)} aria-label={`${action}：${r.project}`}>
          {action}
        </Button>
      ),
    },
  ];
}

function Pager({ count, hasNext, cursors, setCursors, endCursor }: { count?: number; hasNext: boolean; cursors: (string | null)[]; setCursors: (f: (c: (string | null)[]) => (string | null)[]) => void; endCursor: string | null }) {
  return (
    <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
      <Typography.Text type="secondary">{count !== undefined ? `共 ${count} 条` : ''}</Typography.Text>
      <Space>
        <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          上一页
        </Button>
        <Button disabled={!hasNext} onClick={() => setCursors((c) => [...c, endCursor])}>
          下一页
        </Button>
      </Space>
    </Flex>
  );
}

/** 待评价 (employer admin or project lead): the queue, and the employer's evaluated records. */
export function EmployerEvaluationsPage() {
  const [tab, setTab] = useState('queue');
  const [queueCursors, setQueueCursors] = useState<(string | null)[]>([null]);
  const [doneCursors, setDoneCursors] = useState<(string | null)[]>([null]);
  const [{ data: queueData, error: queueError, fetching: queueFetching }, refetchQueue] = useQuery({
    query: PracticeRecordsToEvaluateDocument,
    variables: { after: queueCursors[queueCursors.length - 1] },
    requestPolicy: 'cache-and-network',
  });
  const [{ data: doneData, error: doneError, fetching: doneFetching }, refetchDone] = useQuery({
    query: PracticeRecordsDocument,
    variables: { filter: { status: 'CONFIRMED' }, after: doneCursors[doneCursors.length - 1] },
    requestPolicy: 'cache-and-network',
    pause: tab !== 'done',
  });
  const queue = queueData?.practiceRecordsToEvaluate;
  const done = doneData?.practiceRecords;
  const queueRows = useMemo(() => queue?.edges.map((e) => e.node) ?? [], [queue]);
  const doneRows = useMemo(() => done?.edges.map((e) => e.node) ?? [], [done]);
  const [opened, setOpened] = useState<PracticeRecordRow | null>(null);
  const error = queueError ?? doneError;

  return (
    <PageContainer
      title="待评价"
      description="本单位注册安全工程师提交的执业记录：查看证明材料，确认或退回，并从工作质量、及时性、合规性、职业操守四个维度评价（1–5分）。评价提交后不可修改，更正将作为新版本保留历史。"
    >
      {error ? <Alert type="error" showIcon title={describeError(error)} style={{ marginBottom: 16 }} /> : null}
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'queue',
              label: `待评价${queue ? `（${queue.totalCount}）` : ''}`,
              children: (
                <>
                  <Table<PracticeRecordRow>
                    rowKey="id"
                    size="small"
                    loading={queueFetching}
                    pagination={false}
                    columns={recordColumns(setOpened, '评价')}
                    dataSource={queueRows}
                    locale={{ emptyText: '暂无待评价的执业记录' }}
                    aria-label="待评价列表"
                  />
                  <Pager
                    count={queue?.totalCount}
                    hasNext={!!queue?.pageInfo.hasNextPage}
                    endCursor={queue?.pageInfo.endCursor ?? null}
                    cursors={queueCursors}
                    setCursors={setQueueCursors}
                  />
                </>
              ),
            },
            {
              key: 'done',
              label: '已确认记录',
              children: (
                <>
                  <Table<PracticeRecordRow>
                    rowKey="id"
                    size="small"
                    loading={doneFetching}
                    pagination={false}
                    columns={recordColumns(setOpened, '查看')}
                    dataSource={doneRows}
                    locale={{ emptyText: '暂无已确认的执业记录' }}
                    aria-label="已确认记录列表"
                  />
                  <Pager
                    count={done?.totalCount}
                    hasNext={!!done?.pageInfo.hasNextPage}
                    endCursor={done?.pageInfo.endCursor ?? null}
                    cursors={doneCursors}
                    setCursors={setDoneCursors}
                  />
                </>
              ),
            },
          ]}
        />
      </Card>
      <RecordDrawer
        record={opened}
        onClose={() => setOpened(null)}
        onChanged={(r) => {
          setOpened(r);
          refetchQueue({ requestPolicy: 'network-only' });
          if (tab === 'done') refetchDone({ requestPolicy: 'network-only' });
        }}
      />
    </PageContainer>
  );
}
