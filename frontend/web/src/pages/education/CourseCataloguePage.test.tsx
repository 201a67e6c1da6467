import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';

function course(id: string, title: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    code: id,
    title,
    description: '',
    specialty: null,
    subjectKind: 'GENERAL',
    hours: 2,
    opensOn: '2026-11-01',
    closesOn: '2027-10-31',
    capacity: 10,
    enrolledCount: 3,
    status: 'PUBLISHED',
    isOpen: true,
    hasExam: true,
    examQuestionCount: 3,
    examMinutes: 10,
    examMaxAttempts: 3,
    passMark: 60,
    version: 2,
    provider: { id: 'UDox', name: '培训学院' },
    myEnrolment: null,
    ...extra,
  };
}

const catalogue = {
  data: {
    courses: {
      totalCount: 2,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: [
        { node: course('Qzox', '法规要点') },
        { node: course('Qzoy', '应急管理', { myEnrolment: { id: 'RW5yOjk=', status: 'ENROLLED', percent: 40 } }) },
      ],
    },
  },
};

describe('课程目录', () => {
  it('lists open courses, filters by kind, and shows enrolment errors', async () => {
    const { api } = renderApp({
      path: '/courses',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        CourseCatalogue: catalogue,
        CourseEnrol: {
          data: { courseEnrol: { enrolment: null, errors: [{ field: 'courseId', code: 'COURSE_FULL', message: '课程名额已满' }] } },
        },
      },
    });
    const row = (await screen.findByText('法规要点', {}, { timeout: 5000 })).closest('tr') as HTMLElement;
    expect(within(row).getByText('10 / 3')).toBeInTheDocument();
    expect(within(row).getByText('公需科目')).toBeInTheDocument();
    const enrolled = screen.getByText('应急管理').closest('tr') as HTMLElement;
    expect(within(enrolled).getByRole('link', { name: '继续学习 应急管理' })).toHaveAttribute('href', '/learning/RW5yOjk%3D');
    expect(api.requests.find((r) => r.operationName === 'CourseCatalogue')?.variables['filter']).toMatchObject({ open: true });

    const user = userEvent.setup();
    await user.click(within(row).getByLabelText('报名 法规要点'));
    expect(await screen.findByText('课程名额已满')).toBeInTheDocument();
    expect(api.requests.find((r) => r.operationName === 'CourseEnrol')?.variables).toEqual({ courseId: 'Qzox' });

    await user.click(screen.getByLabelText('仅显示开放中'));
    await waitFor(() =>
      expect(api.requests.filter((r) => r.operationName === 'CourseCatalogue').at(-1)?.variables['filter']).toMatchObject({ open: null }),
    );
  });
});
