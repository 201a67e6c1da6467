import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import type { RecordedRequest } from '../../test/fakeApi';

async function dialogWith(text: string): Promise<HTMLElement> {
  const nodes = await screen.findAllByText(text);
  const dialog = nodes.map((n) => n.closest<HTMLElement>('.ant-modal')).find((d) => d !== null);
  if (!dialog) throw new Error(`no dialog with ${text}`);
  return dialog;
}

function buttonIn(container: HTMLElement, label: string): HTMLElement {
  const button = within(container)
    .getAllByText(label)
    .map((node) => node.closest('button'))
    .find((b) => b !== null);
  if (!button) throw new Error(`no button ${label}`);
  return button;
}

describe('忘记密码', () => {
  it('requests a code, then sets the new password with it', async () => {
    const seen: RecordedRequest[] = [];
    renderApp({
      path: '/login',
      handlers: {
        PasswordResetRequest: (r) => {
          seen.push(r);
          return { data: { passwordResetRequest: { accepted: true, errors: [] } } };
        },
        PasswordResetConfirm: (r) => {
          seen.push(r);
          return seen.length === 2
            ? {
                data: {
                  passwordResetConfirm: {
                    reset: false,
                    errors: [{ field: 'code', code: 'RESET_CODE_INVALID', message: '验证码错误或已失效，请重新获取' }],
                  },
                },
              }
            : { data: { passwordResetConfirm: { reset: true, errors: [] } } };
        },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByText('忘记密码'));
    const dialog = await dialogWith('获取验证码');
    await user.type(within(dialog).getByLabelText('用户名'), ' zhang ');
    await user.click(buttonIn(dialog, '获取验证码'));
    expect(await within(dialog).findByText(/验证码已发送至该手机/)).toBeInTheDocument();
    expect(seen[0]?.variables).toEqual({ username: 'zhang' });

    await user.type(within(dialog).getByLabelText('验证码'), '123456');
    await user.type(within(dialog).getByLabelText('新密码'), 'Recovered-Passw0rd');
    await user.type(within(dialog).getByLabelText('确认新密码'), 'Recovered-Passw0rd');
    await user.click(buttonIn(dialog, '重置密码'));
    expect(await within(dialog).findByText('验证码错误或已失效，请重新获取')).toBeInTheDocument();
    await user.click(buttonIn(dialog, '重置密码'));
    await waitFor(() => expect(seen).toHaveLength(3));
    expect(seen[2]?.variables).toEqual({ username: 'zhang', code: '123456', newPassword: 'Recovered-Passw0rd' });
    expect(await screen.findByText('密码已重置，请使用新密码登录')).toBeInTheDocument();
  });
});

describe('注册账号', () => {
  it('sends the details, then confirms with the code from the phone', async () => {
    const seen: RecordedRequest[] = [];
    renderApp({
      path: '/login',
      handlers: {
        AccountRegister: (r) => {
          seen.push(r);
          return { data: { accountRegister: { accepted: true, errors: [] } } };
        },
        AccountRegisterConfirm: (r) => {
          seen.push(r);
          return { data: { accountRegisterConfirm: { registered: true, errors: [] } } };
        },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByText('注册账号'));
    const dialog = await dialogWith('获取验证码');
    await user.type(within(dialog).getByLabelText('姓名'), '孙丽');
    await user.type(within(dialog).getByLabelText('身份证号码'), '440307198808087311');
    await user.type(within(dialog).getByLabelText('手机号码'), '13900139000');
    await user.type(within(dialog).getByLabelText('密码'), 'Signup-Passw0rd!');
    await user.click(buttonIn(dialog, '获取验证码'));
    expect(await within(dialog).findByText(/否则请联系所在单位或审核部门/)).toBeInTheDocument();
    expect(seen[0]?.variables).toEqual({
      name: '孙丽',
      idNumber: '440307198808087311',
      phone: '13900139000',
      password: 'Signup-Passw0rd!',
    });
    await user.type(within(dialog).getByLabelText('验证码'), '654321');
    await user.click(buttonIn(dialog, '完成注册'));
    await waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]?.variables).toEqual({ phone: '13900139000', code: '654321' });
    expect(await screen.findByText('账号已创建，请使用手机号 13900139000 登录')).toBeInTheDocument();
  });
});
