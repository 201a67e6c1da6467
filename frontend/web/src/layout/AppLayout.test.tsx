import { describe, expect, it, onTestFinished } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Role } from '../gql/graphql';
import { renderApp } from '../test/renderApp';
import { tokenPair, viewerData } from '../test/fixtures';
import { NAV_SECTIONS, homePathFor, sectionsFor } from '../app/navigation';

const ALL_LABELS = NAV_SECTIONS.flatMap((s) => s.items.map((i) => i.label));

async function menuLabelsFor(roles: Role[], path = '/'): Promise<string[]> {
  renderApp({ path, tokens: tokenPair(), handlers: { Viewer: { data: viewerData(roles) } } });
  const nav = await screen.findByRole('navigation', { name: '主菜单' });
  return within(nav)
    .getAllByRole('menuitem')
    .map((item) => item.textContent ?? '');
}

describe('menu per role', () => {
  it('a provincial reviewer sees 初审工作台 and not 用户管理', async () => {
    const labels = await menuLabelsFor(['PROVINCIAL_REVIEWER']);
    expect(labels).toEqual(['工作台', '初审工作台', '个人申报审核', '信用管理']);
    expect(screen.queryByText('用户管理')).not.toBeInTheDocument();
  });

  it('a registrant sees their own pages and 继续教育', async () => {
    expect(await menuLabelsFor(['REGISTRANT'])).toEqual([
      '工作台',
      '我的信息',
      '我的申请',
      '执业记录',
      '信用画像',
      '我的证书',
      '课程目录',
      '我的课程',
      '我的学时',
    ]);
  });

  it('an administrator sees 人员管理, 单位管理 and 用户管理', async () => {
    expect(await menuLabelsFor(['ADMIN'])).toEqual(['工作台', '人员管理', '单位管理', '用户管理', '证书管理', '信用管理']);
  });

  it('a user with several roles sees each section in menu order', async () => {
    expect(await menuLabelsFor(['ANALYST', 'EMPLOYER_ADMIN'])).toEqual(['工作台', '本单位人员', '待评价', '人员证书', '统计分析']);
  });

  it.each<[Role, string[]]>([
    ['EMPLOYER_ADMIN', ['本单位人员', '待评价', '人员证书']],
    ['MINISTRY_REVIEWER', ['终审工作台', '证书管理', '信用管理']],
    ['TRAINER', ['课程管理']],
    ['ANALYST', ['统计分析']],
  ])('%s has exactly its own pages', (role, labels) => {
    const got = sectionsFor([role]).flatMap((s) => s.items.map((i) => i.label));
    expect(got).toEqual(labels);
    expect(ALL_LABELS.filter((l) => !labels.includes(l)).some((l) => got.includes(l))).toBe(false);
  });

  it('lands on 工作台 (selected in the menu) and shows 功能建设中 for unbuilt pages', async () => {
    expect(homePathFor([])).toBeNull();
    expect(homePathFor(['ANALYST'])).toBe('/');
    const { router } = renderApp({ path: '/', tokens: tokenPair(), handlers: { Viewer: { data: viewerData(['ANALYST']) } } });
    expect(await screen.findByRole('heading', { name: '工作台' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    const nav = screen.getByRole('navigation', { name: '主菜单' });
    expect(within(nav).getByRole('menuitem', { name: /工作台/ })).toHaveClass('ant-menu-item-selected');
    await userEvent.setup().click(within(nav).getByRole('menuitem', { name: /统计分析/ }));
    expect(await screen.findByRole('heading', { name: '统计分析' })).toBeInTheDocument();
    expect(screen.getByText('功能建设中')).toBeInTheDocument();
  });

  it('navigates from the menu', async () => {
    renderApp({ path: '/', tokens: tokenPair(), handlers: { Viewer: { data: viewerData(['ADMIN']) } } });
    await userEvent.setup().click(await screen.findByRole('menuitem', { name: /单位管理/ }));
    expect(await screen.findByRole('heading', { name: '单位管理' })).toBeInTheDocument();
  });

  it('refuses a page of a role the user lacks', async () => {
    renderApp({ path: '/admin/users', tokens: tokenPair(), handlers: { Viewer: { data: viewerData(['PROVINCIAL_REVIEWER']) } } });
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
  });
});

describe('header and session', () => {
  it('shows the product and the user name, and 退出登录 revokes the refresh token', async () => {
    const { api, tokens, router } = renderApp({
      path: '/',
      tokens: tokenPair('x'),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        TokenRevoke: { data: { tokenRevoke: { revoked: true, errors: [] } } },
      },
    });
    const banner = await screen.findByRole('banner');
    expect(within(banner).getByText('注册安全工程师管理平台')).toBeInTheDocument();
    expect(within(banner).getByText('RegSafe')).toBeInTheDocument();
    expect(within(banner).getByText('陈静')).toBeInTheDocument();

    await userEvent.setup().click(within(banner).getByRole('button', { name: /退出登录/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(api.requests.at(-1)).toMatchObject({ operationName: 'TokenRevoke', variables: { refreshToken: 'refresh-x' } });
    expect(tokens.get()).toBeNull();
    expect(await screen.findByLabelText('用户名')).toBeInTheDocument();
  });

  it('sends a signed-out visitor to the login page, and back after signing in', async () => {
    const { router } = renderApp({
      path: '/certificates',
      handlers: {
        MyCertificates: { data: { myCertificates: [] } },
        TokenCreate: { data: { tokenCreate: { token: tokenPair('n'), errors: [] } } },
        Viewer: { data: viewerData(['REGISTRANT']) },
      },
    });
    expect(router.state.location.pathname).toBe('/login');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('用户名'), 'chenjing');
    await user.type(screen.getByLabelText('密码'), 'pw');
    await user.click(screen.getByRole('button', { name: '登录' }));
    expect(await screen.findByRole('heading', { name: '我的证书' })).toBeInTheDocument();
  });

  it('goes to the login page when the server no longer accepts the session', async () => {
    const { router, tokens } = renderApp({
      path: '/me/profile',
      tokens: tokenPair(),
      handlers: {
        Viewer: { errors: [{ message: 'expired', extensions: { code: 'TOKEN_EXPIRED' } }], data: null },
        TokenRefresh: {
          data: { tokenRefresh: { token: null, errors: [{ field: 'refreshToken', code: 'REFRESH_TOKEN_EXPIRED', message: 'x' }] } },
        },
      },
    });
    expect(await screen.findByText('登录已过期，请重新登录')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(tokens.get()).toBeNull();
  });

  it('treats an anonymous viewer while holding tokens as an ended session', async () => {
    const { router } = renderApp({
      path: '/me/profile',
      tokens: tokenPair(),
      handlers: { Viewer: { data: { viewer: { user: null, person: null, employer: null } } } },
    });
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
  });

  it('serves /verify without signing in', async () => {
    renderApp({ path: '/verify', handlers: {} });
    expect(await screen.findByText('证书查验')).toBeInTheDocument();
  });
});

describe('layout by screen width', () => {
  /** window.matchMedia answering as a screen this wide (antd's Grid.useBreakpoint reads it). */
  function screenWidth(width: number) {
    const original = window.matchMedia;
    window.matchMedia = (query: string) => {
      const conditions = [...query.matchAll(/\((min|max)-width:\s*(\d+(?:\.\d+)?)px\)/g)];
      const matches =
        conditions.length > 0 &&
        conditions.every(([, kind, px]) => (kind === 'min' ? width >= Number(px) : width <= Number(px)));
      return { ...original(query), matches, media: query };
    };
    onTestFinished(() => {
      window.matchMedia = original;
    });
  }

  it('on a phone, a header button opens the menu in a drawer instead of the side menu', async () => {
    screenWidth(390);
    const { router } = renderApp({ path: '/', tokens: tokenPair(), handlers: { Viewer: { data: viewerData(['ADMIN']) } } });
    const banner = await screen.findByRole('banner');
    const open = await within(banner).findByRole('button', { name: '打开菜单' });
    expect(screen.queryByRole('navigation', { name: '主菜单' })).not.toBeInTheDocument();
    expect(document.querySelector('.app-sider')).toBeNull();
    // The header's buttons are icons (named for screen readers).
    expect(within(banner).getByRole('button', { name: '退出登录' })).not.toHaveTextContent('退出登录');

    const user = userEvent.setup();
    await user.click(open);
    const drawer = await screen.findByRole('dialog');
    const nav = within(drawer).getByRole('navigation', { name: '主菜单' });
    await user.click(within(nav).getByRole('menuitem', { name: /单位管理/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/admin/employers'));
    expect(await screen.findByRole('heading', { name: '单位管理' })).toBeInTheDocument();
  });

  it('on a large screen, the side menu shows and there is no menu button', async () => {
    screenWidth(1280);
    renderApp({ path: '/', tokens: tokenPair(), handlers: { Viewer: { data: viewerData(['ADMIN']) } } });
    expect(await screen.findByRole('navigation', { name: '主菜单' })).toBeInTheDocument();
    expect(document.querySelector('.app-sider')).not.toBeNull();
    expect(screen.queryByRole('button', { name: '打开菜单' })).not.toBeInTheDocument();
    expect(within(screen.getByRole('banner')).getByRole('button', { name: /退出登录/ })).toHaveTextContent('退出登录');
  });
});
