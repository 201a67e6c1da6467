import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../test/renderApp';
import { tokenPair, viewerData } from '../test/fixtures';
import { STORAGE_KEY } from '../auth/tokenStore';
import { DEVICE_STORAGE_KEY, deviceTokenFor, rememberDeviceToken } from '../auth/deviceTokens';

function tokenCreateError(field: string | null, code: string, message = 'server text') {
  return { data: { tokenCreate: { token: null, errors: [{ field, code, message }] } } };
}

async function submitLogin(username: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('用户名'), username);
  await user.type(screen.getByLabelText('密码'), password);
  await user.click(screen.getByRole('button', { name: '登录' }));
}

describe('login page', () => {
  afterEach(() => window.localStorage.clear());

  it('submits the credentials and shows 用户名或密码错误 for INVALID_CREDENTIALS', async () => {
    const { api, tokens } = renderApp({
      path: '/login',
      handlers: { TokenCreate: tokenCreateError('password', 'INVALID_CREDENTIALS', 'Invalid credentials') },
    });

    await submitLogin(' chenjing ', 'wrong-password');

    expect(await screen.findByText('用户名或密码错误')).toBeInTheDocument();
    expect(screen.queryByText('Invalid credentials')).not.toBeInTheDocument();
    expect(screen.getByLabelText('密码')).toHaveAttribute('aria-invalid', 'true');
    expect(api.requests).toEqual([
      expect.objectContaining({
        operationName: 'TokenCreate',
        method: 'POST',
        variables: { username: 'chenjing', password: 'wrong-password' },
      }),
    ]);
    expect(tokens.get()).toBeNull();
    expect(screen.getByRole('heading', { name: '注册安全工程师管理平台' })).toBeInTheDocument();
  });

  it('shows TOO_MANY_ATTEMPTS in Chinese and an error without a field above the form', async () => {
    renderApp({
      path: '/login',
      handlers: {
        TokenCreate: {
          data: {
            tokenCreate: {
              token: null,
              errors: [
                { field: 'username', code: 'TOO_MANY_ATTEMPTS', message: 'x' },
                { field: null, code: 'ACCOUNT_DISABLED', message: 'y' },
              ],
            },
          },
        },
      },
    });
    await submitLogin('chenjing', 'secret');
    expect(await screen.findByText('登录失败次数过多，请稍后再试')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('账号已停用，请联系管理员');
  });

  it('asks for both fields before sending anything', async () => {
    const { api } = renderApp({ path: '/login', handlers: {} });
    await userEvent.setup().click(screen.getByRole('button', { name: '登录' }));
    expect(await screen.findByText('请输入用户名')).toBeInTheDocument();
    expect(screen.getByText('请输入密码')).toBeInTheDocument();
    expect(api.requests).toHaveLength(0);
  });

  it('signs in, keeps the tokens in sessionStorage and opens 工作台', async () => {
    const { api, router } = renderApp({
      path: '/login',
      handlers: {
        TokenCreate: { data: { tokenCreate: { token: tokenPair('new'), errors: [] } } },
        Viewer: { data: viewerData(['REGISTRANT']) },
      },
    });
    await submitLogin('chenjing', 'right-password');

    expect(await screen.findByRole('heading', { name: '工作台' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(window.sessionStorage.getItem(STORAGE_KEY)).toContain('access-new');
    expect(api.requests.find((r) => r.operationName === 'Viewer')?.authorization).toBe('Bearer access-new');
  });

  it('keeps the device token in localStorage and sends it on the next login', async () => {
    const { api } = renderApp({
      path: '/login',
      handlers: {
        TokenCreate: { data: { tokenCreate: { token: tokenPair('new'), deviceToken: 'device-new', errors: [] } } },
        Viewer: { data: viewerData(['REGISTRANT']) },
      },
    });
    rememberDeviceToken('chenjing', 'device-old');
    await submitLogin('ChenJing', 'right-password');

    expect(await screen.findByRole('heading', { name: '工作台' })).toBeInTheDocument();
    expect(api.requests.find((r) => r.operationName === 'TokenCreate')?.variables).toEqual({
      username: 'ChenJing',
      password: 'right-password',
      deviceToken: 'device-old',
    });
    // the returned one replaces it, and outlives the session (sessionStorage is cleared)
    expect(deviceTokenFor('chenjing')).toBe('device-new');
    expect(window.sessionStorage.getItem(DEVICE_STORAGE_KEY)).toBeNull();
    expect(window.localStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('shows a network failure as a Chinese message', async () => {
    renderApp({ path: '/login', handlers: {} });
    await submitLogin('chenjing', 'secret');
    await waitFor(() => expect(screen.getByRole('alert')).toBeInTheDocument());
  });
});
