import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { TokenCreateDocument } from '../gql/graphql';
import { useAuth } from '../auth/AuthContext';
import { deviceTokenFor, rememberDeviceToken } from '../auth/deviceTokens';
import { describeError } from '../api/errorMessages';
import { formErrors } from '../forms/formErrors';
import { returnPath } from '../app/guards';
import { BrandMark } from '../components/BrandMark';
import { PRODUCT_NAME, useDocumentTitle } from '../components/useDocumentTitle';
import { lazyPage } from '../app/lazyPage';
import type { DialogProps } from './account/AccountDialogs';

// 忘记密码 and 注册账号 load on first use, not with the sign-in page.
const ForgotPasswordDialog = lazyPage<DialogProps, 'ForgotPasswordDialog'>(
  () => import('./account/AccountDialogs'),
  'ForgotPasswordDialog',
);
const RegisterDialog = lazyPage<DialogProps, 'RegisterDialog'>(() => import('./account/AccountDialogs'), 'RegisterDialog');

interface LoginValues {
  username: string;
  password: string;
}

const LOGIN_FIELDS = ['username', 'password'] as const;

const SESSION_NOTICES = {
  expired: '登录已过期，请重新登录',
  revoked: '登录会话已注销，请重新登录',
} as const;

export function LoginPage() {
  useDocumentTitle('登录');
  const [form] = Form.useForm<LoginValues>();
  const [{ fetching }, createToken] = useMutation(TokenCreateDocument);
  const [alerts, setAlerts] = useState<string[]>([]);
  const [dialog, setDialog] = useState<'forgot' | 'register' | null>(null);
  const { signIn, sessionEnded } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();

  const onFinish = async (values: LoginValues) => {
    setAlerts([]);
    const username = values.username.trim();
    // Only when this browser has one: the account owner's way past a lock strangers set.
    const deviceToken = deviceTokenFor(username);
    const result = await createToken(
      deviceToken ? { username, password: values.password, deviceToken } : { username, password: values.password },
    );
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data?.tokenCreate;
    if (payload?.token) {
      if (payload.deviceToken) rememberDeviceToken(username, payload.deviceToken);
      signIn(payload.token);
      navigate(returnPath(location), { replace: true });
      return;
    }
    const { fields, messages } = formErrors<LoginValues>(payload?.errors ?? [], { fields: LOGIN_FIELDS });
    form.setFields(fields);
    setAlerts(fields.length === 0 && messages.length === 0 ? ['登录失败，请稍后再试'] : messages);
  };

  return (
    <div className="login-page">
      <main className="login-main">
        {/* A plain panel, not antd Card: Card pulls Tabs, Dropdown and Skeleton into the
            first load (~18 KB brotli) for a box with a shadow. */}
        <section className="login-card">
          <div className="login-heading">
            <BrandMark size={48} />
            <Typography.Title level={3} className="login-title">
              {PRODUCT_NAME}
            </Typography.Title>
            <Typography.Text type="secondary">RegSafe · 中级注册安全工程师注册与执业管理</Typography.Text>
          </div>

          {sessionEnded && alerts.length === 0 ? (
            <Alert className="login-alert" type="warning" showIcon title={SESSION_NOTICES[sessionEnded]} />
          ) : null}
          {alerts.map((text) => (
            <Alert key={text} className="login-alert" type="error" showIcon title={text} />
          ))}

          <Form<LoginValues>
            form={form}
            name="login"
            layout="vertical"
            requiredMark={false}
            size="large"
            onFinish={onFinish}
            aria-label="登录"
          >
            <Form.Item
              label="用户名"
              name="username"
              rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" placeholder="请输入用户名" maxLength={64} />
            </Form.Item>
            <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                placeholder="请输入密码"
                maxLength={256}
              />
            </Form.Item>
            <Form.Item className="login-submit">
              <Button type="primary" htmlType="submit" block loading={fetching} aria-busy={fetching}>
                登录
              </Button>
            </Form.Item>
          </Form>

          <div className="login-links">
            <Link to="/verify">
              <SafetyCertificateOutlined /> 证书查验
            </Link>
            <Typography.Link onClick={() => setDialog('forgot')}>忘记密码</Typography.Link>
            <Typography.Link onClick={() => setDialog('register')}>注册账号</Typography.Link>
          </div>
          {dialog === 'forgot' ? <ForgotPasswordDialog open onClose={() => setDialog(null)} /> : null}
          {dialog === 'register' ? <RegisterDialog open onClose={() => setDialog(null)} /> : null}
        </section>
      </main>
      <footer className="login-footer">{PRODUCT_NAME} · RegSafe</footer>
    </div>
  );
}
