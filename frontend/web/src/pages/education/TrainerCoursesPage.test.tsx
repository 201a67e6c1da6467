import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import type { GraphQLResponseBody } from '../../test/fakeApi';
import { startPutServer } from '../../uploads/testServer.mjs';
import type { PutServer } from '../../uploads/testServer.mjs';

let store: PutServer;
beforeAll(async () => {
  store = await startPutServer();
});
afterAll(async () => {
  await store.close();
});

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

describe('课件上传', () => {
  const SLOT_ID = 'VXBsb2FkU2xvdDo2';
  const unit = {
    id: 'VW5pdDox',
    position: 1,
    title: '第一讲',
    kind: 'VIDEO',
    durationSeconds: 2700,
    startsAt: null,
    materialFilename: null,
    materialMediaType: null,
    materialUrl: null,
  };
  const course = {
    __typename: 'Course',
    id: 'Qzox',
    code: 'TY-001',
    title: '体验课',
    description: '',
    specialty: null,
    subjectKind: 'GENERAL',
    hours: 2,
    opensOn: '2026-12-01',
    closesOn: '2027-06-30',
    capacity: null,
    enrolledCount: 0,
    status: 'DRAFT',
    isOpen: false,
    hasExam: false,
    examQuestionCount: 0,
    examMinutes: 60,
    examMaxAttempts: 3,
    passMark: 60,
    version: 1,
    provider: { id: 'UHJvdmlkZXI6MQ==', name: '省安全培训中心' },
    units: [unit],
    questionBank: [],
  };

  function editCourse(confirm: GraphQLResponseBody) {
    return renderApp({
      path: '/trainer/courses/Qzox',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['TRAINER']) },
        TrainerCourse: { data: { node: course } },
        CourseMaterialUploadRequest: {
          data: { courseMaterialUploadRequest: { upload: { id: SLOT_ID, url: `${store.origin}/ok/course-material` }, errors: [] } },
        },
        UploadConfirm: confirm,
      },
    });
  }

  async function uploadMaterial() {
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: '课件' }));
    // Role queries with names are slow over the editor's antd DOM: find by text, then scope.
    const row = (await screen.findByText('第一讲')).closest('tr');
    if (!row) throw new Error('no row for the unit');
    const input = row.querySelector<HTMLInputElement>('input[type=file]');
    if (!input) throw new Error('no file input in the unit row');
    await user.upload(input, new File(['webm bytes'], 'lesson1.webm', { type: 'video/webm' }));
    return row;
  }

  function confirmPayload(errors: { field: string; code: string; message: string }[]) {
    const ok = errors.length === 0;
    return {
      data: {
        uploadConfirm: {
          upload: {
            id: SLOT_ID,
            purpose: 'COURSE_MATERIAL',
            status: ok ? 'CONFIRMED' : 'REFUSED',
            refusal: ok ? null : (errors[0]?.code ?? null),
            size: ok ? 10 : null,
            sha256: null,
            mediaType: ok ? 'video/webm' : null,
            pages: null,
            confirmedAt: null,
          },
          target: ok ? { __typename: 'CourseUnit', id: unit.id, materialFilename: 'lesson1.webm', materialMediaType: 'video/webm' } : null,
          errors,
        },
      },
    };
  }

  it('puts the file to the slot url, confirms the slot and reloads the course', async () => {
    const { api } = editCourse(confirmPayload([]));
    await uploadMaterial();
    expect(await screen.findByText('“第一讲”课件已上传')).toBeInTheDocument();
    expect(store.received.find((put) => put.path === '/ok/course-material')).toMatchObject({ contentType: 'video/webm', text: 'webm bytes' });
    expect(api.requests.find((r) => r.operationName === 'CourseMaterialUploadRequest')?.variables).toEqual({
      unitId: unit.id,
      filename: 'lesson1.webm',
      size: 10,
      contentType: 'video/webm',
    });
    expect(api.requests.find((r) => r.operationName === 'UploadConfirm')?.variables).toEqual({ id: SLOT_ID });
    await waitFor(() => expect(api.names().filter((n) => n === 'TrainerCourse').length).toBeGreaterThan(1));
  });

  it('shows the server message of a refusal that names the state', async () => {
    const { api } = editCourse(confirmPayload([{ field: 'id', code: 'NOT_EDITABLE', message: '课程已发布，课件不能再修改' }]));
    const row = await uploadMaterial();
    expect(await screen.findByText('课程已发布，课件不能再修改')).toBeInTheDocument();
    expect(within(row).getByText('上传课件').closest('button')).toBeEnabled();
    expect(api.names().filter((n) => n === 'TrainerCourse')).toHaveLength(1);
  });
});
