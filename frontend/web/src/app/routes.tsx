import type { ComponentType } from 'react';
import { Navigate } from 'react-router';
import type { RouteObject } from 'react-router';
import { NAV_SECTIONS } from './navigation';
import { HomeGate, PublicOnly, RequireAnyRole, RequireAuth, RequireRole } from './guards';
import { ViewerGate } from './ViewerContext';
import { lazyPage } from './lazyPage';
import { LoginPage } from '../pages/LoginPage';

// Every page but the sign-in page (the first one most visits see) loads on first use from
// a chunk of its own: a new page here is
// `const XPage = lazyPage(() => import('../pages/…/XPage'), 'XPage');`, not an import.
const NotFoundPage = lazyPage(() => import('../pages/StatusPages'), 'NotFoundPage');
// Fetched as soon as the browser is idle: after a release, a stale tab's failed chunk load
// shows this page, which must not need a (by then deleted) chunk itself.
const RouteErrorPage = lazyPage(() => import('../pages/StatusPages'), 'RouteErrorPage', { preload: true });
const AppLayout = lazyPage(() => import('../layout/AppLayout'), 'AppLayout');
const ProfilePage = lazyPage(() => import('../pages/ProfilePage'), 'ProfilePage');
const UnderConstruction = lazyPage(() => import('../pages/UnderConstruction'), 'UnderConstruction');
const TranscriptVerifyPage = lazyPage(() => import('../pages/education/TranscriptVerifyPage'), 'TranscriptVerifyPage');
const VerifyPage = lazyPage(() => import('../pages/VerifyPage'), 'VerifyPage');
const MyApplicationsPage = lazyPage(() => import('../pages/applications/MyApplicationsPage'), 'MyApplicationsPage');
const ApplicationDetailPage = lazyPage(() => import('../pages/applications/ApplicationDetailPage'), 'ApplicationDetailPage');
const FinalWorkbenchPage = lazyPage(() => import('../pages/review/ReviewWorkbench'), 'FinalWorkbenchPage');
const PreliminaryWorkbenchPage = lazyPage(() => import('../pages/review/ReviewWorkbench'), 'PreliminaryWorkbenchPage');
const ReviewApplicationPage = lazyPage(() => import('../pages/review/ReviewApplicationPage'), 'ReviewApplicationPage');
const HourReportsReviewPage = lazyPage(() => import('../pages/review/HourReportsReviewPage'), 'HourReportsReviewPage');
const CourseCataloguePage = lazyPage(() => import('../pages/education/CourseCataloguePage'), 'CourseCataloguePage');
const MyCoursesPage = lazyPage(() => import('../pages/education/MyCoursesPage'), 'MyCoursesPage');
const CoursePlayerPage = lazyPage(() => import('../pages/education/CoursePlayerPage'), 'CoursePlayerPage');
const ExamPage = lazyPage(() => import('../pages/education/ExamPage'), 'ExamPage');
const MyHoursPage = lazyPage(() => import('../pages/education/MyHoursPage'), 'MyHoursPage');
const TrainerCoursesPage = lazyPage(() => import('../pages/education/TrainerCoursesPage'), 'TrainerCoursesPage');
const TrainerCourseEditPage = lazyPage(() => import('../pages/education/TrainerCourseEditPage'), 'TrainerCourseEditPage');
const MyCertificatesPage = lazyPage(() => import('../pages/certificates/MyCertificatesPage'), 'MyCertificatesPage');
const EmployerCertificatesPage = lazyPage(() => import('../pages/certificates/EmployerCertificatesPage'), 'EmployerCertificatesPage');
const CertificateAdminPage = lazyPage(() => import('../pages/certificates/CertificateAdminPage'), 'CertificateAdminPage');
const PracticeRecordsPage = lazyPage(() => import('../pages/practice/PracticeRecordsPage'), 'PracticeRecordsPage');
const EmployerEvaluationsPage = lazyPage(() => import('../pages/practice/EmployerEvaluationsPage'), 'EmployerEvaluationsPage');
const EmployerStaffPage = lazyPage(() => import('../pages/employer/EmployerStaffPage'), 'EmployerStaffPage');
const CreditProfilePage = lazyPage(() => import('../pages/practice/CreditProfilePage'), 'CreditProfilePage');
const CreditAdminPage = lazyPage(() => import('../pages/practice/CreditAdminPage'), 'CreditAdminPage');
const AdminUsersPage = lazyPage(() => import('../pages/admin/AdminUsersPage'), 'AdminUsersPage');
const HomePage = lazyPage(() => import('../pages/home/HomePage'), 'HomePage');

/** Pages that exist, by menu key; every other menu item shows 功能建设中. */
const PAGES: Readonly<Record<string, ComponentType>> = {
  'me.profile': ProfilePage,
  'me.applications': MyApplicationsPage,
  'review.preliminary': PreliminaryWorkbenchPage,
  'review.final': FinalWorkbenchPage,
  'review.hours': HourReportsReviewPage,
  'education.courses': CourseCataloguePage,
  'education.learning': MyCoursesPage,
  'education.hours': MyHoursPage,
  'training.courses': TrainerCoursesPage,
  'me.certificates': MyCertificatesPage,
  'employer.certificates': EmployerCertificatesPage,
  'review.certificates': CertificateAdminPage,
  'admin.certificates': CertificateAdminPage,
  'me.practice': PracticeRecordsPage,
  'me.credit': CreditProfilePage,
  'employer.evaluations': EmployerEvaluationsPage,
  'employer.staff': EmployerStaffPage,
  'review.credit': CreditAdminPage,
  'ministry.credit': CreditAdminPage,
  'admin.credit': CreditAdminPage,
  'admin.users': AdminUsersPage,
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
  {
    path: 'learning/:enrolmentId',
    element: (
      <RequireRole role="REGISTRANT">
        <CoursePlayerPage />
      </RequireRole>
    ),
  },
  {
    path: 'exams/:attemptId',
    element: (
      <RequireRole role="REGISTRANT">
        <ExamPage />
      </RequireRole>
    ),
  },
  {
    path: 'trainer/courses/:id',
    element: (
      <RequireRole role="TRAINER">
        <TrainerCourseEditPage />
      </RequireRole>
    ),
  },
  // Earlier addresses of the menu pages.
  { path: 'me/applications', element: <Navigate to="/applications" replace /> },
  { path: 'me/education', element: <Navigate to="/hours" replace /> },
  { path: 'me/certificates', element: <Navigate to="/certificates" replace /> },
  { path: 'me/practice', element: <Navigate to="/practice" replace /> },
  { path: 'training/courses', element: <Navigate to="/trainer/courses" replace /> },
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
      { path: '/verify/:number', element: <VerifyPage /> },
      // 学时证明核验 (the QR code on a transcript points here): public too.
      { path: '/verify/transcript', element: <TranscriptVerifyPage /> },
      { path: '/verify/transcript/:code', element: <TranscriptVerifyPage /> },
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
          {
            index: true,
            element: (
              <HomeGate>
                <HomePage />
              </HomeGate>
            ),
          },
          ...sectionRoutes,
          ...detailRoutes,
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
