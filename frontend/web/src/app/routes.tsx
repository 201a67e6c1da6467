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
import { TranscriptVerifyPage } from '../pages/education/TranscriptVerifyPage';
import { VerifyPage } from '../pages/VerifyPage';
import { NotFoundPage, RouteErrorPage } from '../pages/StatusPages';
import { MyApplicationsPage } from '../pages/applications/MyApplicationsPage';
import { ApplicationDetailPage } from '../pages/applications/ApplicationDetailPage';
import { FinalWorkbenchPage, PreliminaryWorkbenchPage } from '../pages/review/ReviewWorkbench';
import { ReviewApplicationPage } from '../pages/review/ReviewApplicationPage';
import { HourReportsReviewPage } from '../pages/review/HourReportsReviewPage';
import { CourseCataloguePage } from '../pages/education/CourseCataloguePage';
import { MyCoursesPage } from '../pages/education/MyCoursesPage';
import { CoursePlayerPage } from '../pages/education/CoursePlayerPage';
import { ExamPage } from '../pages/education/ExamPage';
import { MyHoursPage } from '../pages/education/MyHoursPage';
import { TrainerCoursesPage } from '../pages/education/TrainerCoursesPage';
import { TrainerCourseEditPage } from '../pages/education/TrainerCourseEditPage';
import { MyCertificatesPage } from '../pages/certificates/MyCertificatesPage';
import { EmployerCertificatesPage } from '../pages/certificates/EmployerCertificatesPage';
import { CertificateAdminPage } from '../pages/certificates/CertificateAdminPage';
import { PracticeRecordsPage } from '../pages/practice/PracticeRecordsPage';
import { EmployerEvaluationsPage } from '../pages/practice/EmployerEvaluationsPage';
import { CreditProfilePage } from '../pages/practice/CreditProfilePage';
import { CreditAdminPage } from '../pages/practice/CreditAdminPage';

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
  'review.credit': CreditAdminPage,
  'ministry.credit': CreditAdminPage,
  'admin.credit': CreditAdminPage,
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
          { index: true, element: <HomeRedirect /> },
          ...sectionRoutes,
          ...detailRoutes,
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
