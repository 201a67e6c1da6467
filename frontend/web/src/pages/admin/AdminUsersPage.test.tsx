import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import type { RecordedRequest } from '../../test/fakeApi';
import { accountInput, formatTime, scopeText } from './users';

const reviewer = {
  id: 'VXNlcjoy',
  username: 'gd_reviewer',
  displayName: '黄审核',
  roles: ['PROVINCIAL_REVIEWER'],
  provinceCode: '440000',
  reviewScope: null,
  isActive: true,
  mustChangePassword: false,
  lastLoginAt: '2026-12-01T02:30:00Z',
  createdAt: '2026-11-01T00:00:00Z',
  person: null,
  employer: null,
};

const locked = {
  ...reviewer,
  id: 'VXNlcjoz',
  username: 'chem_admin',
  displayName: '单位管理员',
  roles: ['EMPLOYER_ADMIN'],
  provinceCode: null,
  isActive: false,
  mustChangePassword: true,
  lastLoginAt: null,
  employer: { id: 'RW1wbG95ZXI6MQ==', name: '深圳市安泰化工有限公司' },
};

function usersPage(rows: unknown[]) {
  return {
    data: {
      users: {
        totalCount: rows.length,
        pageInfo: { hasNextPage: false, endCursor: null },
        edges: rows.map((node) => ({ node })),
      },
    },
  };
}

function usersHandler(rows: unknown[], seen: RecordedRequest[] = []) {
  return (request: RecordedRequest) => {
    seen.push(request);
    return usersPage(rows);
  };
}

const ok = (name: string, extra: Record<string, unknown> = {}) => ({
  data: { [name]: { user: { id: reviewer.id, isActive: true, displayName: '', roles: [] }, errors: [], ...extra } },
});

async function rowOf(text: string): Promise<HTMLElement> {
  const cell = await screen.findByText(text);
  const row = cell.closest('tr');
  if (!row) throw new Error(`no row for ${text}`);
  return row;
}

function buttonIn(container: HTMLElement, label: string): HTMLElement {
  const button = within(container)
    .getAllByText(label)
    .map((node) => node.closest('button'))
    .find((b) => b !== null);
  if (!button) throw new Error(`no button ${label}`);
  return button;
}

async function dialogWith(text: string): Promise<HTMLElement> {
  const nodes = await screen.findAllByText(text);
  const dialog = nodes.map((n) => n.closest<HTMLElement>('.ant-modal')).find((d) => d !== null);
  if (!dialog) throw new Error(`no dialog with ${text}`);
  return dialog;
}

const admin = { Viewer: { data: viewerData(['ADMIN']) } };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('用户管理', () => {
  it('lists accounts with Chinese role labels, scopes and states, and filters by username', async () => {
    const seen: RecordedRequest[] = [];
    renderApp({
      path: '/admin/users',
      tokens: tokenPair(),
      handlers: { ...admin, AdminUsers: usersHandler([reviewer, locked], seen) },
    });
    const row = within(await rowOf('gd_reviewer'));
    expect(row.getByText('省级初审')).toBeInTheDocument();
    expect(row.getByText('省份 440000')).toBeInTheDocument();
    expect(row.getByText('启用')).toBeInTheDocument();
    const other = within(await rowOf('chem_admin'));
    expect(other.getByText('单位管理员', { selector: '.ant-tag' })).toBeInTheDocument();
    expect(other.getByText('已停用')).toBeInTheDocument();
    expect(other.getByText('待修改密码')).toBeInTheDocument();
    expect(other.getByText('深圳市安泰化工有限公司')).toBeInTheDocument();
    expect(screen.getByTestId('users-total')).toHaveTextContent('共 2 个账号');

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('用户名'), 'GD{Enter}');
    await waitFor(() => expect(seen.at(-1)?.variables).toMatchObject({ filter: { usernamePrefix: 'GD' } }));
  });

  it('creates an account and shows the server’s field errors on the form', async () => {
    const creates: RecordedRequest[] = [];
    renderApp({
      path: '/admin/users',
      tokens: tokenPair(),
      handlers: {
        ...admin,
        AdminUsers: usersHandler([reviewer]),
        UserCreate: (request) => {
          creates.push(request);
          return creates.length === 1
            ? {
                data: {
                  userCreate: {
                    user: null,
                    errors: [{ field: 'provinceCode', code: 'PROVINCE_REQUIRED', message: '该角色须指定省份' }],
                  },
                },
              }
            : ok('userCreate');
        },
      },
    });
    await rowOf('gd_reviewer');
    const user = userEvent.setup();
    await user.click(screen.getByText('新建用户').closest('button') as HTMLElement);
    const dialog = await dialogWith('初始密码');
    await user.type(within(dialog).getByLabelText('用户名'), 'new.reviewer');
    await user.type(within(dialog).getByLabelText('显示名称'), '新审核员');
    await user.type(within(dialog).getByLabelText('初始密码'), 'Strong-Passw0rd!');
    const roles = within(dialog).getByLabelText('角色');
    fireEvent.mouseDown(roles);
    await user.click(await screen.findByText('省级初审', { selector: '.ant-select-item-option-content' }));
    await user.click(buttonIn(dialog, '创建'));
    await waitFor(() => expect(creates).toHaveLength(1));
    expect(creates[0]?.variables).toMatchObject({
      input: { username: 'new.reviewer', displayName: '新审核员', roles: ['PROVINCIAL_REVIEWER'], provinceCode: null },
    });
    expect(await within(dialog).findByText('该角色须指定省份')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('省份代码'), '440000');
    await user.click(buttonIn(dialog, '创建'));
    await waitFor(() => expect(creates).toHaveLength(2));
    expect(creates[1]?.variables).toMatchObject({ input: { provinceCode: '440000', personId: null } });
  });

  it('resets a password after confirmation and shows the temporary one once', async () => {
    const resets: RecordedRequest[] = [];
    renderApp({
      path: '/admin/users',
      tokens: tokenPair(),
      handlers: {
        ...admin,
        AdminUsers: usersHandler([reviewer]),
        UserPasswordReset: (request) => {
          resets.push(request);
          return {
            data: {
              userPasswordReset: {
                user: { id: reviewer.id, mustChangePassword: true },
                temporaryPassword: 'AbCdEfG-h2K3m4n',
                errors: [],
              },
            },
          };
        },
      },
    });
    const row = await rowOf('gd_reviewer');
    const user = userEvent.setup();
    await user.click(buttonIn(row, '重置密码'));
    const confirm = await dialogWith('重置 黄审核（gd_reviewer）的密码？');
    expect(resets).toHaveLength(0);
    await user.click(buttonIn(confirm, '重置密码'));
    expect(await screen.findByTestId('temporary-password')).toHaveTextContent('AbCdEfG-h2K3m4n');
    expect(resets[0]?.variables).toEqual({ id: reviewer.id });
    const shown = await dialogWith('我已记下');
    expect(shown.querySelector('.ant-typography-copy')).not.toBeNull();
  });

  it('locks an account only after confirmation', async () => {
    const locks: RecordedRequest[] = [];
    renderApp({
      path: '/admin/users',
      tokens: tokenPair(),
      handlers: {
        ...admin,
        AdminUsers: usersHandler([reviewer]),
        UserLock: (request) => {
          locks.push(request);
          return ok('userLock');
        },
      },
    });
    const row = await rowOf('gd_reviewer');
    const user = userEvent.setup();
    await user.click(buttonIn(row, '停用'));
    const confirm = await dialogWith('停用后该用户无法登录，已登录的会话立即失效。');
    expect(locks).toHaveLength(0);
    await user.click(buttonIn(confirm, '停用'));
    await waitFor(() => expect(locks).toHaveLength(1));
    expect(locks[0]?.variables).toEqual({ id: reviewer.id });
  });

  it('shows the recent audit events in a drawer', async () => {
    renderApp({
      path: '/admin/users',
      tokens: tokenPair(),
      handlers: {
        ...admin,
        AdminUsers: usersHandler([reviewer]),
        UserAuditEvents: {
          data: {
            node: {
              __typename: 'User',
              id: reviewer.id,
              recentAuditEvents: [
                { at: '2026-12-01T02:30:00Z', action: 'USER_LOCKED', subjectType: 'user', subjectId: '7', requestId: 'r1' },
                { at: '2026-12-01T01:00:00Z', action: 'SOMETHING_NEW', subjectType: 'person', subjectId: '3', requestId: null },
              ],
            },
          },
        },
      },
    });
    const row = await rowOf('gd_reviewer');
    const user = userEvent.setup();
    await user.click(buttonIn(row, '操作记录'));
    expect(await screen.findByText('黄审核 的操作记录')).toBeInTheDocument();
    expect(await screen.findByText('停用用户')).toBeInTheDocument();
    expect(screen.getByText('SOMETHING_NEW')).toBeInTheDocument();
    expect(screen.getByText('user #7')).toBeInTheDocument();
  });

  it('is refused to other roles', async () => {
    renderApp({
      path: '/admin/users',
      tokens: tokenPair(),
      handlers: { Viewer: { data: viewerData(['REGISTRANT']) }, AdminUsers: usersHandler([reviewer]) },
    });
    await screen.findByText('陈静');
    expect(screen.queryByText('gd_reviewer')).toBeNull();
  });
});

describe('修改密码', () => {
  it('is forced while the account holds a temporary password', async () => {
    const viewer = viewerData(['ADMIN']);
    const data = { viewer: { ...viewer.viewer, user: { ...viewer.viewer.user!, mustChangePassword: true } } };
    const changes: RecordedRequest[] = [];
    renderApp({
      path: '/admin/users',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data },
        AdminUsers: usersHandler([reviewer]),
        PasswordChange: (request) => {
          changes.push(request);
          return { data: { passwordChange: { changed: true, errors: [] } } };
        },
      },
    });
    const dialog = await dialogWith('您正在使用管理员重置的临时密码，请先设置新密码。');
    // no way to dismiss the dialog while it is required
    expect(dialog.querySelector('.ant-modal-close')).toBeNull();
    const user = userEvent.setup();
    await user.type(within(dialog).getByLabelText('当前密码'), 'AbCdEfG-h2K3m4n');
    await user.type(within(dialog).getByLabelText('新密码'), 'Brand-New-Passw0rd');
    await user.type(within(dialog).getByLabelText('确认新密码'), 'Brand-New-Passw0rd');
    await user.click(buttonIn(dialog, '修改密码'));
    await waitFor(() => expect(changes).toHaveLength(1));
    expect(changes[0]?.variables).toEqual({ currentPassword: 'AbCdEfG-h2K3m4n', newPassword: 'Brand-New-Passw0rd' });
    expect(await screen.findByText('密码已修改，其他设备上的登录已退出')).toBeInTheDocument();
  });
});

describe('helpers', () => {
  it('sends only the scopes the roles use, clearing the others', () => {
    expect(
      accountInput({
        displayName: 'x',
        roles: ['EMPLOYER_ADMIN'],
        provinceCode: '440000',
        employerId: ' RW1wbG95ZXI6MQ== ',
        personId: 'UGVyc29uOjE=',
        reviewScope: 'MOT',
      }),
    ).toEqual({ roles: ['EMPLOYER_ADMIN'], provinceCode: null, reviewScope: null, personId: null, employerId: 'RW1wbG95ZXI6MQ==' });
    expect(accountInput({ displayName: 'x', roles: ['PROVINCIAL_REVIEWER'], provinceCode: '', reviewScope: 'MOHURD' })).toEqual({
      roles: ['PROVINCIAL_REVIEWER'],
      provinceCode: null,
      reviewScope: 'MOHURD',
      personId: null,
      employerId: null,
    });
  });

  it('formats scopes and times for people', () => {
    expect(scopeText({ provinceCode: '110000', reviewScope: 'MOT' })).toBe('省份 110000 · 交通运输部');
    expect(scopeText({})).toBe('—');
    expect(formatTime('2026-12-01T02:30:00Z')).toContain('10:30');
    expect(formatTime(null)).toBe('—');
  });
});
