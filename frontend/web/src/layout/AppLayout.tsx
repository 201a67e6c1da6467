/**
 * The shell of the signed-in application: header (product, user, logout), a side menu
 * built from the viewer's roles, and the page.
 */
import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { App, Avatar, Button, Flex, Layout, Menu, Space, Tooltip, Typography, theme } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth } from '../auth/AuthContext';
import { useViewer } from '../app/ViewerContext';
import { ROLE_LABELS, menuItemsFor, navItemByKey, navItemForPath } from '../app/navigation';
import { BrandMark } from '../components/BrandMark';
import { PRODUCT_NAME } from '../components/useDocumentTitle';

const { Header, Sider, Content, Footer } = Layout;

export function AppLayout() {
  const { user } = useViewer();
  const { signOut } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);
  const [signingOut, setSigningOut] = useState(false);

  const current = navItemForPath(location.pathname);
  const roleText = user.roles.map((role) => ROLE_LABELS[role]).join('、');

  const logout = async () => {
    setSigningOut(true);
    await signOut();
    message.success('已退出登录');
    navigate('/login', { replace: true });
  };

  return (
    <Layout className="app-layout">
      <Header
        className="app-header"
        style={{ background: token.colorBgContainer, borderBottom: `1px solid ${token.colorBorderSecondary}` }}
      >
        <Flex align="center" gap={12} className="app-brand">
          <BrandMark />
          <span className="app-brand-name">{PRODUCT_NAME}</span>
          <Typography.Text type="secondary" className="app-brand-sub">
            RegSafe
          </Typography.Text>
        </Flex>
        <Space size="middle" className="app-user">
          <Tooltip title={roleText}>
            <Space size={8} aria-label={`当前用户：${user.displayName}（${roleText}）`}>
              <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
              <span className="app-user-name">{user.displayName}</span>
            </Space>
          </Tooltip>
          <Button icon={<LogoutOutlined />} onClick={logout} loading={signingOut}>
            退出登录
          </Button>
        </Space>
      </Header>
      <Layout>
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
          <nav aria-label="主菜单">
            <Menu
              mode="inline"
              items={menuItemsFor(user.roles)}
              selectedKeys={current ? [current.key] : []}
              onClick={({ key }) => {
                const item = navItemByKey(key);
                if (item) navigate(item.path);
              }}
              style={{ borderInlineEnd: 'none' }}
            />
          </nav>
        </Sider>
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
