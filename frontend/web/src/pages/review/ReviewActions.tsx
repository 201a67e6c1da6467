/**
 * 审核操作: 领取, and for the assignee 退回补正 / 初审通过 / 准予注册 / 不予注册. Every action
 * passes expectedVersion = application.version, so two reviewers cannot act on one case.
 */
import { useState } from 'react';
import { useMutation } from 'urql';
import { Alert, App, Button, Form, Input, Modal, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { ApplicationClaimDocument, ApplicationDecideDocument } from '../../gql/graphql';
import type { ReviewDecision, Role } from '../../gql/graphql';
import { describeError, errorMessage } from '../../api/errorMessages';
import type { PayloadError } from '../../forms/formErrors';
import type { ApplicationDetail } from '../../registration/useApplication';
import { cleanItems } from '../../registration/helpers';

export const REVIEW_MESSAGES: Readonly<Record<string, string>> = {
  STALE_VERSION: '申请已被他人处理，请刷新',
};

export function reviewErrorTexts(errors: readonly PayloadError[]): string[] {
  const texts = errors.map((error) => REVIEW_MESSAGES[error.code] ?? errorMessage(error.code, error.message));
  return texts.length > 0 ? [...new Set(texts)] : ['操作失败，请稍后再试'];
}

/** The stage the case is at, from its status; null when no reviewer acts on it. */
export function reviewStageOf(status: string): 'PRELIMINARY' | 'FINAL' | null {
  if (status === 'SUBMITTED' || status === 'PRELIMINARY_REVIEW') return 'PRELIMINARY';
  if (status === 'FINAL_REVIEW') return 'FINAL';
  return null;
}

const STAGE_ROLE: Readonly<Record<'PRELIMINARY' | 'FINAL', Role>> = {
  PRELIMINARY: 'PROVINCIAL_REVIEWER',
  FINAL: 'MINISTRY_REVIEWER',
};

interface ReturnValues {
  items: string[];
  reason?: string;
}

interface RejectValues {
  reason: string;
}

export function ReviewActions({
  application,
  roles,
  onDone,
}: {
  application: ApplicationDetail;
  roles: readonly Role[];
  onDone: () => void;
}) {
  const { message, modal } = App.useApp();
  const [{ fetching: claiming }, claim] = useMutation(ApplicationClaimDocument);
  const [{ fetching: deciding }, decide] = useMutation(ApplicationDecideDocument);
  const [alerts, setAlerts] = useState<string[]>([]);
  const [returning, setReturning] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [returnForm] = Form.useForm<ReturnValues>();
  const [rejectForm] = Form.useForm<RejectValues>();

  const stage = reviewStageOf(application.status);
  if (!stage || !roles.includes(STAGE_ROLE[stage])) return null;

  const onClaim = async () => {
    setAlerts([]);
    const result = await claim({ id: application.id, expectedVersion: application.version });
    if (result.error) return setAlerts([describeError(result.error)]);
    const payload = result.data?.applicationClaim;
    if (payload?.application) {
      message.success('已领取');
      onDone();
    } else {
      setAlerts(reviewErrorTexts(payload?.errors ?? []));
    }
    return undefined;
  };

  const onDecide = async (decision: ReviewDecision, extra: { reason?: string | null; items?: string[] | null } = {}) => {
    setAlerts([]);
    const result = await decide({
      id: application.id,
      expectedVersion: application.version,
      decision,
      reason: extra.reason ?? null,
      items: extra.items ?? null,
    });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return false;
    }
    const payload = result.data?.applicationDecide;
    if (payload?.application) {
      message.success('审核决定已提交');
      onDone();
      return true;
    }
    setAlerts(reviewErrorTexts(payload?.errors ?? []));
    return false;
  };

  const confirmDecision = (decision: ReviewDecision, title: string) => {
    modal.confirm({
      title,
      okText: '确定',
      cancelText: '取消',
      onOk: () => onDecide(decision),
    });
  };

  const submitReturn = async (values: ReturnValues) => {
    const items = cleanItems(values.items);
    const reason = values.reason?.trim() || null;
    setReturning(false);
    await onDecide('RETURN', { items, reason });
  };

  const submitReject = async (values: RejectValues) => {
    setRejecting(false);
    await onDecide('REJECT', { reason: values.reason.trim() });
  };

  return (
    <Space orientation="vertical" size="small" className="full-width">
      <div>
        {alerts.map((text) => (
          <Alert key={text} type="error" showIcon title={text} className="form-alert" />
        ))}
      </div>
      <Space wrap>
        {!application.assignedToMe ? (
          <Button type="primary" loading={claiming} onClick={onClaim}>
            领取
          </Button>
        ) : (
          <>
            {stage === 'PRELIMINARY' ? (
              <Button type="primary" loading={deciding} onClick={() => confirmDecision('PASS', '确认初审通过，报送终审？')}>
                初审通过
              </Button>
            ) : (
              <Button type="primary" loading={deciding} onClick={() => confirmDecision('APPROVE', '确认准予注册？')}>
                准予注册
              </Button>
            )}
            <Button onClick={() => setReturning(true)}>退回补正</Button>
            <Button danger onClick={() => setRejecting(true)}>
              不予注册
            </Button>
          </>
        )}
      </Space>

      <Modal
        open={returning}
        title="退回补正"
        okText="确定退回"
        cancelText="取消"
        confirmLoading={deciding}
        onOk={() => returnForm.submit()}
        onCancel={() => setReturning(false)}
        destroyOnHidden
      >
        <Form<ReturnValues>
          form={returnForm}
          layout="vertical"
          onFinish={submitReturn}
          initialValues={{ items: [''] }}
          preserve={false}
        >
          <Form.List
            name="items"
            rules={[
              {
                validator: async (_, items: string[] | undefined) => {
                  if (cleanItems(items).length === 0) throw new Error('请至少填写一项补正事项');
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((field, index) => (
                  <Form.Item key={field.key} label={index === 0 ? '补正事项' : undefined} required={index === 0}>
                    <Space align="baseline" className="full-width">
                      <Form.Item {...field} noStyle>
                        <Input aria-label={`补正事项${index + 1}`} placeholder="需要补正的内容" style={{ width: 360 }} />
                      </Form.Item>
                      {fields.length > 1 ? (
                        <MinusCircleOutlined aria-label="删除此项" onClick={() => remove(field.name)} />
                      ) : null}
                    </Space>
                  </Form.Item>
                ))}
                <Form.Item>
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
                    添加补正事项
                  </Button>
                  <Form.ErrorList errors={errors} />
                </Form.Item>
              </>
            )}
          </Form.List>
          <Form.Item name="reason" label="说明（选填）">
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={rejecting}
        title="不予注册"
        okText="确定"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        confirmLoading={deciding}
        onOk={() => rejectForm.submit()}
        onCancel={() => setRejecting(false)}
        destroyOnHidden
      >
        <Form<RejectValues> form={rejectForm} layout="vertical" onFinish={submitReject} preserve={false}>
          <Form.Item
            name="reason"
            label="不予注册理由"
            rules={[{ required: true, whitespace: true, message: '请填写不予注册的理由' }]}
          >
            <Input.TextArea rows={4} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
