/**
 * From the sign-in page, loaded on first use: 忘记密码 (a code by SMS to the phone on file,
 * then a new password) and 注册账号 (a registrant on file: name, ID number and phone as
 * registered, then the code sent to that phone). The server answers the first step the
 * same whether or not anything matched, and so do these dialogs.
 */
import { useState } from 'react';
import { useMutation } from 'urql';
import { Alert, App, Button, Form, Input, Modal, Typography } from 'antd';
import {
  AccountRegisterConfirmDocument,
  AccountRegisterDocument,
  PasswordResetConfirmDocument,
  PasswordResetRequestDocument,
} from '../../gql/graphql';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import type { PayloadError } from '../../forms/formErrors';

const PASSWORD_HINT = '至少10个字符，包含大写字母、小写字母、数字、符号中的至少三类';

export interface DialogProps {
  open: boolean;
  onClose: () => void;
}

interface Outcome {
  errors: readonly PayloadError[];
}

/** Shows payload errors on the form (or above it); true when there were none. */
function useOutcome<Values>(form: ReturnType<typeof Form.useForm<Values>>[0], fields: readonly string[]) {
  const [alerts, setAlerts] = useState<string[]>([]);
  const check = (result: { error?: Parameters<typeof describeError>[0]; payload?: Outcome | null }) => {
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return false;
    }
    const errors = result.payload?.errors ?? [];
    if (errors.length) {
      const { fields: placed, messages } = formErrors<Values>(errors, { fields });
      form.setFields(placed);
      setAlerts(messages);
      return false;
    }
    setAlerts([]);
    return true;
  };
  return { alerts, check };
}

function Alerts({ texts }: { texts: string[] }) {
  return (
    <>
      {texts.map((text) => (
        <Alert key={text} type="error" showIcon title={text} style={{ marginBottom: 12 }} />
      ))}
    </>
  );
}

function confirmRule({ getFieldValue }: { getFieldValue: (name: string) => unknown }) {
  return {
    validator: (_: unknown, value: unknown) =>
      !value || value === getFieldValue('newPassword')
        ? Promise.resolve()
        : Promise.reject(new Error('两次输入的新密码不一致')),
  };
}

interface ResetValues {
  username: string;
  code: string;
  newPassword: string;
  confirm: string;
}

export function ForgotPasswordDialog({ open, onClose }: DialogProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ResetValues>();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [{ fetching: requesting }, request] = useMutation(PasswordResetRequestDocument);
  const [{ fetching: confirming }, confirm] = useMutation(PasswordResetConfirmDocument);
  const { alerts, check } = useOutcome(form, ['username', 'code', 'newPassword']);

  const finish = async (values: ResetValues) => {
    const username = values.username.trim();
    if (sentTo === null) {
      const result = await request({ username });
      if (check({ error: result.error, payload: result.data?.passwordResetRequest })) setSentTo(username);
      return;
    }
    const result = await confirm({ username: sentTo, code: values.code.trim(), newPassword: values.newPassword });
    if (check({ error: result.error, payload: result.data?.passwordResetConfirm })) {
      message.success('密码已重置，请使用新密码登录');
      setSentTo(null);
      form.resetFields();
      onClose();
    }
  };

  return (
    <Modal
      open={open}
      title="忘记密码"
      okText={sentTo === null ? '获取验证码' : '重置密码'}
      cancelText="取消"
      confirmLoading={requesting || confirming}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alerts texts={alerts} />
      {sentTo !== null ? (
        <Alert
          type="info"
          showIcon
          title="如该账号存在并登记了手机号，验证码已发送至该手机，10分钟内有效。"
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Form<ResetValues> form={form} layout="vertical" onFinish={finish}>
        <Form.Item name="username" label="用户名" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
          <Input autoComplete="username" maxLength={64} disabled={sentTo !== null} />
        </Form.Item>
        {sentTo !== null ? (
          <>
            <Form.Item name="code" label="验证码" rules={[{ required: true, message: '请输入短信验证码' }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
            <Form.Item name="newPassword" label="新密码" extra={PASSWORD_HINT} rules={[{ required: true, message: '请输入新密码' }]}>
              <Input.Password autoComplete="new-password" maxLength={128} />
            </Form.Item>
            <Form.Item
              name="confirm"
              label="确认新密码"
              dependencies={['newPassword']}
              rules={[{ required: true, message: '请再次输入新密码' }, confirmRule]}
            >
              <Input.Password autoComplete="new-password" maxLength={128} />
            </Form.Item>
          </>
        ) : null}
      </Form>
    </Modal>
  );
}

interface RegisterValues {
  name: string;
  idNumber: string;
  phone: string;
  password: string;
  code: string;
}

export function RegisterDialog({ open, onClose }: DialogProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<RegisterValues>();
  const [phone, setPhone] = useState<string | null>(null);
  const [{ fetching: registering }, register] = useMutation(AccountRegisterDocument);
  const [{ fetching: confirming }, confirm] = useMutation(AccountRegisterConfirmDocument);
  const { alerts, check } = useOutcome(form, ['name', 'idNumber', 'phone', 'password', 'code']);

  const finish = async (values: RegisterValues) => {
    if (phone === null) {
      const result = await register({
        name: values.name.trim(),
        idNumber: values.idNumber.trim(),
        phone: values.phone.trim(),
        password: values.password,
      });
      if (check({ error: result.error, payload: result.data?.accountRegister })) setPhone(values.phone.trim());
      return;
    }
    const result = await confirm({ phone, code: values.code.trim() });
    if (check({ error: result.error, payload: result.data?.accountRegisterConfirm })) {
      message.success(`账号已创建，请使用手机号 ${phone} 登录`);
      setPhone(null);
      form.resetFields();
      onClose();
    }
  };

  return (
    <Modal
      open={open}
      title="注册账号"
      okText={phone === null ? '获取验证码' : '完成注册'}
      cancelText="取消"
      confirmLoading={registering || confirming}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        适用于已由单位或审核部门登记的注册人员：姓名、身份证号码和手机号须与登记信息一致，验证码将发送至登记的手机。
      </Typography.Paragraph>
      <Alerts texts={alerts} />
      {phone !== null ? (
        <Alert
          type="info"
          showIcon
          title="如信息与登记一致，验证码已发送至登记的手机，10分钟内有效；否则请联系所在单位或审核部门。"
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Form<RegisterValues> form={form} layout="vertical" onFinish={finish} disabled={registering || confirming}>
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
          <Input maxLength={50} disabled={phone !== null} />
        </Form.Item>
        <Form.Item name="idNumber" label="身份证号码" rules={[{ required: true, whitespace: true, message: '请输入身份证号码' }]}>
          <Input maxLength={18} disabled={phone !== null} />
        </Form.Item>
        <Form.Item name="phone" label="手机号码" rules={[{ required: true, whitespace: true, message: '请输入手机号码' }]}>
          <Input inputMode="tel" maxLength={20} disabled={phone !== null} />
        </Form.Item>
        <Form.Item name="password" label="密码" extra={PASSWORD_HINT} rules={[{ required: true, message: '请设置密码' }]}>
          <Input.Password autoComplete="new-password" maxLength={128} disabled={phone !== null} />
        </Form.Item>
        {phone !== null ? (
          <Form.Item name="code" label="验证码" rules={[{ required: true, message: '请输入短信验证码' }]}>
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
          </Form.Item>
        ) : null}
      </Form>
      {phone !== null ? null : (
        <Button type="link" style={{ padding: 0 }} onClick={onClose}>
          已有账号，返回登录
        </Button>
      )}
    </Modal>
  );
}
