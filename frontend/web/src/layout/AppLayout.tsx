/**
 * The shell of the signed-in application: header (product, user, logout), a side menu
 * built from the viewer's roles, and the page. Below 768 px (antd's md breakpoint) the side
 * menu gives way to a header button opening the same menu in a drawer, and the header's
 * buttons shrink to icons.
 */
import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { App, Avatar, Button, Drawer, Flex, Grid, Layout, Menu, Space, Tooltip, Typography, theme } from 'antd';
import type { MenuProps } from 'antd';
import { HomeOutlined, KeyOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth } from '../auth/AuthContext';
import { useViewer } from '../app/ViewerContext';
import { HOME_ITEM, ROLE_LABELS, menuItemsFor, navItemByKey, navItemForPath } from '../app/navigation';
import type { Role } from '../gql/graphql';
import { BrandMark } from '../components/BrandMark';
import { PRODUCT_NAME } from '../components/useDocumentTitle';
import { PasswordChangeModal } from './PasswordChangeModal';

const { Header, Sider, Content, Footer } = Layout;

/** The menu: 工作台, then one group per section of the viewer's roles. */
function shellMenuItems(roles: readonly Role[]): NonNullable<MenuProps['items']> {
  const sections = menuItemsFor(roles);
  if (sections.length === 0) return sections;
  return [{ key: HOME_ITEM.key, icon: <HomeOutlined />, label: HOME_ITEM.label }, ...sections];
}

export function AppLayout() {
  const { user } = useViewer();
  const { signOut } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  // Unknown until measured ({}): the desktop layout until then.
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const [signingOut, setSigningOut] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  // A temporary password (重置密码) must be replaced before anything else.
  const [passwordChanged, setPasswordChanged] = useState(false);
  const passwordRequired = user.mustChangePassword === true && !passwordChanged;

  const current = navItemForPath(location.pathname);
  const roleText = user.roles.map((role) => ROLE_LABELS[role]).join('、');

  const logout = async () => {
    setSigningOut(true);
    await signOut();
    message.success('已退出登录');
    navigate('/login', { replace: true });
  };

  const menu = (
    <nav aria-label="主菜单">
      <Menu
        mode="inline"
        items={shellMenuItems(user.roles)}
        selectedKeys={current ? [current.key] : []}
        onClick={({ key }) => {
          const item = navItemByKey(key);
          setDrawerOpen(false);
          if (item) navigate(item.path);
        }}
        style={{ borderInlineEnd: 'none' }}
      />
    </nav>
  );

  return (
    <Layout className={mobile ? 'app-layout app-layout-mobile' : 'app-layout'}>
      <Header
        className="app-header"
        style={{ background: token.colorBgContainer, borderBottom: `1px solid ${token.colorBorderSecondary}` }}
      >
        <Flex align="center" gap={mobile ? 8 : 12} className="app-brand">
          {mobile ? (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label="打开菜单"
              aria-expanded={drawerOpen}
              onClick={() => setDrawerOpen(true)}
              className="app-menu-button"
            />
          ) : null}
          <BrandMark />
          <span className="app-brand-name">{PRODUCT_NAME}</span>
          <Typography.Text type="secondary" className="app-brand-sub">
            RegSafe
          </Typography.Text>
        </Flex>
        <Space size={mobile ? 4 : 'middle'} className="app-user">
          <Tooltip title={roleText}>
            <Space size={8} aria-label={`当前用户：${user.displayName}（${roleText}）`}>
              <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
              <span className="app-user-name">{user.displayName}</span>
            </Space>
          </Tooltip>
          {mobile ? (
            <>
              <Tooltip title="修改密码">
                <Button icon={<KeyOutlined />} aria-label="修改密码" onClick={() => setPasswordOpen(true)} />
              </Tooltip>
              <Tooltip title="退出登录">
                <Button icon={<LogoutOutlined />} aria-label="退出登录" onClick={logout} loading={signingOut} />
              </Tooltip>
            </>
          ) : (
            <>
              <Button icon={<KeyOutlined />} onClick={() => setPasswordOpen(true)}>
                修改密码
              </Button>
              <Button icon={<LogoutOutlined />} onClick={logout} loading={signingOut}>
                退出登录
              </Button>
            </>
          )}
        </Space>
        {mobile ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            title={PRODUCT_NAME}
            size={264}
            className="app-drawer"
            styles={{ body: { padding: '8px 0' } }}
          >
            {menu}
          </Drawer>
        ) : null}
        <PasswordChangeModal
          open={passwordOpen || passwordRequired}
          required={passwordRequired}
          onClose={() => setPasswordOpen(false)}
          onChanged={() => {
            setPasswordOpen(false);
            setPasswordChanged(true);
          }}
        />
      </Header>
      <Layout>
        {mobile ? null : (
          <Sider
            width={220}
            breakpoint="lg"
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            theme="light"
            className="app-sider"
            style={{ borderRight: `1px solid ${token.colorBorderSecondary}` }}
          >
            {menu}
          </Sider>
        )}
        <Layout className="app-main">
          <Content className="app-content">
            <main>
              <Outlet />
            </main>
          </Content>
          <Footer className="app-footer">
            {PRODUCT_NAME} · RegSafe
          </Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
