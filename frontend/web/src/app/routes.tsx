import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import { NAV_SECTIONS } from './navigation';
import { HomeRedirect, PublicOnly, RequireAuth, RequireRole } from './guards';
import { ViewerGate } from './ViewerContext';
import { AppLayout } from '../layout/AppLayout';
import { LoginPage } from '../pages/LoginPage';
import { ProfilePage } from '../pages/ProfilePage';
import { UnderConstruction } from '../pages/UnderConstruction';
import { VerifyPage } from '../pages/VerifyPage';
import { NotFoundPage, RouteErrorPage } from '../pages/StatusPages';

/** Pages that exist, by menu key; every other menu item shows 功能建设中. */
const PAGES: Readonly<Record<string, ComponentType>> = {
  'me.profile': ProfilePage,
};

const sectionRoutes: RouteObject[] = NAV_SECTIONS.flatMap((section) =>
  section.items.map((item) => {
    const Page = PAGES[item.key];
    return {
      path: item.path.slice(1),
      element: (
        <RequireRole role={section.role}>
          {Page ? <Page /> : <UnderConstruction title={item.label} />}
        </RequireRole>
      ),
    };
  }),
);

export const routes: RouteObject[] = [
  {
    errorElement: <RouteErrorPage />,
    children: [
      {
        path: '/login',
        element: (
          <PublicOnly>
            <LoginPage />
          </PublicOnly>
        ),
      },
      // 证书查验: public, no sign-in.
      { path: '/verify', element: <VerifyPage /> },
      {
        path: '/',
        element: (
          <RequireAuth>
            <ViewerGate>
              <AppLayout />
            </ViewerGate>
          </RequireAuth>
        ),
        children: [{ index: true, element: <HomeRedirect /> }, ...sectionRoutes, { path: '*', element: <NotFoundPage /> }],
      },
    ],
  },
];
