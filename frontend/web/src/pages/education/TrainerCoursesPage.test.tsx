import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';

describe('课程管理', () => {
  it('lists my courses and the completion statistics', async () => {
    renderApp({
      path: '/trainer/courses',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['TRAINER']) },
        TrainerCourses: {
          data: {
            courses: {
              totalCount: 1,
              edges: [
                {
                  node: {
                    id: 'Qzox', code: 'TY-001', title: '体验课', description: '', specialty: null, subjectKind: 'GENERAL',
                    hours: 2, opensOn: '2026-11-01', closesOn: '2027-10-31', capacity: null, enrolledCount: 4,
                    status: 'DRAFT', isOpen: false, hasExam: true, examQuestionCount: 3, examMinutes: 10,
                    examMaxAttempts: 3, passMark: 60, version: 1, provider: { id: 'UDox', name: '培训学院' },
                  },
                },
              ],
            },
          },
        },
        CourseStatistics: {
          data: {
            courseStatistics: [
              { course: { id: 'Qzox', code: 'TY-001', title: '体验课' }, enrolled: 4, unitsCompleted: 3, completed: 2, completionRate: 0.5, attempts: 3, passRate: 0.6667 },
            ],
          },
        },
      },
    });
    expect(await screen.findByRole('link', { name: '体验课' })).toHaveAttribute('href', '/trainer/courses/Qzox');
    expect(screen.getByText('草稿')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('tab', { name: '结业统计' }));
    expect(await screen.findByText('50%')).toBeInTheDocument();
    expect(screen.getByText('66.7%')).toBeInTheDocument();
  });

  it('creates a course from the editor with its units', async () => {
    const { api, router } = renderApp({
      path: '/trainer/courses/new',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['TRAINER']) },
        CourseCreate: {
          data: { courseCreate: { course: null, errors: [{ field: 'input.code', code: 'INVALID_VALUE', message: '本机构已有相同编号的课程' }] } },
        },
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('课程编号'), 'TY-002');
    await user.type(screen.getByLabelText('课程名称'), '新课程');
    await user.type(screen.getByLabelText('学时'), '2');
    await user.click(screen.getByLabelText('开放日期'));
    await user.type(screen.getByLabelText('开放日期'), '2026-12-01{enter}');
    await user.click(screen.getByLabelText('结束日期（含）'));
    await user.type(screen.getByLabelText('结束日期（含）'), '2027-06-30{enter}');
    await user.click(screen.getByRole('button', { name: /添加单元/ }));
    await user.type(screen.getByLabelText('单元名称'), '第一讲');
    await user.click(screen.getByRole('button', { name: '创建课程' }));
    await waitFor(() => expect(api.names()).toContain('CourseCreate'));
    // Enter in the date fields did not submit the half-filled form: one request, with the unit.
    expect(api.requests.filter((r) => r.operationName === 'CourseCreate')).toHaveLength(1);
    expect(api.requests.find((r) => r.operationName === 'CourseCreate')?.variables['input']).toMatchObject({
      code: 'TY-002',
      title: '新课程',
      hours: 2,
      opensOn: '2026-12-01',
      closesOn: '2027-06-30',
      units: [{ title: '第一讲', kind: 'VIDEO', durationSeconds: 2700, startsAt: null }],
    });
    expect(await screen.findByText('本机构已有相同编号的课程')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/trainer/courses/new');
  });
});
