/**
 * 修改密码, for every signed-in user (from the header). Opened by force, without a way
 * to close it, while the account holds a temporary password from 重置密码.
 */
import { useState } from 'react';
import { useMutation } from 'urql';
import { Alert, App, Form, Input, Modal } from 'antd';
import { PasswordChangeDocument } from '../gql/graphql';
import { describeError } from '../api/errorMessages';
import { formErrors } from '../forms/formErrors';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export interface PasswordChangeModalProps {
  open: boolean;
  /** A temporary password must be replaced: the dialog cannot be dismissed. */
  required?: boolean;
  onClose: () => void;
  onChanged: () => void;
}

export function PasswordChangeModal({ open, required = false, onClose, onChanged }: PasswordChangeModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching }, change] = useMutation(PasswordChangeDocument);

  const submit = async (values: Values) => {
    setAlerts([]);
    const result = await change({ currentPassword: values.currentPassword, newPassword: values.newPassword });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data?.passwordChange;
    if (payload?.errors.length) {
      const { fields, messages } = formErrors<Values>(payload.errors, {
        fields: ['currentPassword', 'newPassword'],
      });
      form.setFields(fields);
      setAlerts(messages);
      return;
    }
    message.success('密码已修改，其他设备上的登录已退出');
    form.resetFields();
    onChanged();
  };

  return (
    <Modal
      open={open}
      title="修改密码"
      okText="修改密码"
      cancelText="取消"
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={required ? undefined : onClose}
      closable={!required}
      mask={{ closable: !required }}
      keyboard={!required}
      cancelButtonProps={{ style: required ? { display: 'none' } : undefined }}
      destroyOnHidden
    >
      {required ? (
        <Alert type="warning" showIcon title="您正在使用管理员重置的临时密码，请先设置新密码。" style={{ marginBottom: 12 }} />
      ) : null}
      {alerts.map((text) => (
        <Alert key={text} type="error" showIcon title={text} style={{ marginBottom: 12 }} />
      ))}
      <Form<Values> form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="新密码"
          extra="至少10个字符，包含大写字母、小写字母、数字、符号中的至少三类"
          rules={[{ required: true, message: '请输入新密码' }]}
        >
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error('两次输入的新密码不一致')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
