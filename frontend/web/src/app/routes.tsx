import type { ComponentType } from 'react';
import { Navigate } from 'react-router';
import type { RouteObject } from 'react-router';
import { NAV_SECTIONS } from './navigation';
import { HomeRedirect, PublicOnly, RequireAnyRole, RequireAuth, RequireRole } from './guards';
import { ViewerGate } from './ViewerContext';
import { AppLayout } from '../layout/AppLayout';
import { LoginPage } from '../pages/LoginPage';
import { ProfilePage } from '../pages/ProfilePage';
import { UnderConstruction } from '../pages/UnderConstruction';
import { VerifyPage } from '../pages/VerifyPage';
import { NotFoundPage, RouteErrorPage } from '../pages/StatusPages';
import { MyApplicationsPage } from '../pages/applications/MyApplicationsPage';
import { ApplicationDetailPage } from '../pages/applications/ApplicationDetailPage';
import { FinalWorkbenchPage, PreliminaryWorkbenchPage } from '../pages/review/ReviewWorkbench';
import { ReviewApplicationPage } from '../pages/review/ReviewApplicationPage';

/** Pages that exist, by menu key; every other menu item shows 功能建设中. */
const PAGES: Readonly<Record<string, ComponentType>> = {
  'me.profile': ProfilePage,
  'me.applications': MyApplicationsPage,
  'review.preliminary': PreliminaryWorkbenchPage,
  'review.final': FinalWorkbenchPage,
};

/** Pages reached from a section's page rather than from the menu. */
const detailRoutes: RouteObject[] = [
  {
    path: 'applications/:id',
    element: (
      <RequireRole role="REGISTRANT">
        <ApplicationDetailPage />
      </RequireRole>
    ),
  },
  {
    path: 'review/applications/:id',
    element: (
      <RequireAnyRole roles={['PROVINCIAL_REVIEWER', 'MINISTRY_REVIEWER']}>
        <ReviewApplicationPage />
      </RequireAnyRole>
    ),
  },
  // Earlier addresses of the menu pages.
  { path: 'me/applications', element: <Navigate to="/applications" replace /> },
  { path: 'review/provincial', element: <Navigate to="/review/preliminary" replace /> },
  { path: 'review/ministry', element: <Navigate to="/review/final" replace /> },
];

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
        children: [
          { index: true, element: <HomeRedirect /> },
          ...sectionRoutes,
          ...detailRoutes,
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
