import type { ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import { LoadingOutlined } from '@ant-design/icons';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { AuthProvider } from '../auth/AuthContext';
import type { TokenStore } from '../auth/tokenStore';

dayjs.locale('zh-cn');

export interface AppProvidersProps {
  tokens: TokenStore;
  /** Injected in tests. */
  fetch?: typeof fetch;
  children: ReactNode;
}

/** Locale, theme, antd's App (message/modal context) and the session. */
export function AppProviders({ tokens, fetch, children }: AppProvidersProps) {
  return (
    <ConfigProvider
      locale={zhCN}
      // No automatic space in two-character labels (登录 stays 登录, for people and tests).
      // A plain loading icon: antd's default one leaves through a CSS transition and, when
      // that transition never ends, stays in the DOM with aria-label "loading", so the
      // button's accessible name becomes "loading 登录" after the request is over.
      button={{ autoInsertSpace: false, loadingIcon: <LoadingOutlined aria-hidden="true" /> }}
      theme={{
        token: {
          colorPrimary: '#1677ff',
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif",
        },
      }}
    >
      <AntApp>
        <AuthProvider tokens={tokens} fetch={fetch}>
          {children}
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
