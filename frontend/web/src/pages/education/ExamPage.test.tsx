import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';

const QUESTIONS = [
  { id: 'cTox', number: 1, kind: 'SINGLE', stem: '演练频次？', options: ['半年', '一年'], points: 1, chosen: [], correct: null, answer: null },
  { id: 'cToy', number: 2, kind: 'MULTIPLE', stem: '预案分为？', options: ['综合', '计划', '专项'], points: 2, chosen: [], correct: null, answer: null },
];

function attempt(overrides: Record<string, unknown> = {}) {
  return {
    id: 'QXR0OjE=',
    attemptNo: 1,
    status: 'IN_PROGRESS',
    startedAt: '2026-11-29T01:00:00+00:00',
    deadlineAt: '2026-11-29T01:10:00+00:00',
    secondsLeft: 600,
    submittedAt: null,
    score: null,
    maxScore: null,
    passed: null,
    questions: QUESTIONS,
    ...overrides,
  };
}

const graded = attempt({
  status: 'SUBMITTED',
  secondsLeft: 0,
  submittedAt: '2026-11-29T01:05:00+00:00',
  score: 1,
  maxScore: 3,
  passed: false,
  questions: [
    { ...QUESTIONS[0], chosen: [1], correct: true, answer: [1] },
    { ...QUESTIONS[1], chosen: [0], correct: false, answer: [0, 2] },
  ],
});

describe('考试', () => {
  it('autosaves each answer, submits after confirmation and shows the graded paper', async () => {
    const { api } = renderApp({
      path: '/exams/QXR0OjE=?enrolment=RW5yOjE=',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        ExamAttempt: { data: { node: attempt() } },
        ExamAnswer: { data: { examAnswer: { attempt: { id: 'QXR0OjE=', status: 'IN_PROGRESS', secondsLeft: 590 }, errors: [] } } },
        ExamSubmit: { data: { examSubmit: { attempt: graded, errors: [] } } },
      },
    });
    const user = userEvent.setup();
    expect(await screen.findByText('剩余时间')).toBeInTheDocument();
    expect(screen.getByText(/^(10:00|09:5\d)$/)).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: /一年/ }));
    await user.click(screen.getByRole('checkbox', { name: /综合/ }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('答案已自动保存'));
    const saves = api.requests.filter((r) => r.operationName === 'ExamAnswer').map((r) => r.variables['answers']);
    expect(saves).toEqual([[{ questionId: 'cTox', choices: [1] }], [{ questionId: 'cToy', choices: [0] }]]);
    expect(screen.getByText('已答 2 / 2 题')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '交卷' }));
    await user.click(await screen.findByRole('button', { name: '确定交卷' }));
    expect(await screen.findByText('考试未通过')).toBeInTheDocument();
    expect(screen.getByTestId('exam-score')).toHaveTextContent('得分 1 / 3');
    expect(screen.getByText('正确答案：A、C（答错）')).toBeInTheDocument();
    expect(screen.getByText('正确答案：B（答对）')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '返回课程' })).toHaveAttribute('href', '/learning/RW5yOjE%3D');
    const submit = api.requests.find((r) => r.operationName === 'ExamSubmit');
    expect(submit?.variables).toMatchObject({
      attemptId: 'QXR0OjE=',
      answers: [
        { questionId: 'cTox', choices: [1] },
        { questionId: 'cToy', choices: [0] },
      ],
    });
  });

  it('shows TIME_UP clearly and locks the paper', async () => {
    renderApp({
      path: '/exams/QXR0OjE=',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        ExamAttempt: { data: { node: attempt() } },
        ExamAnswer: {
          data: { examAnswer: { attempt: null, errors: [{ field: 'attemptId', code: 'TIME_UP', message: '考试时间已到' }] } },
        },
      },
    });
    await userEvent.setup().click(await screen.findByRole('radio', { name: /半年/ }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('考试时间已到')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '交卷' })).toBeDisabled();
  });
});
