import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import type { RecordedRequest } from '../../test/fakeApi';

const UNITS = [
  { id: 'VTox', position: 1, title: '第一讲', kind: 'VIDEO', durationSeconds: 4, startsAt: null, materialFilename: null, materialMediaType: null, materialUrl: null },
  { id: 'VToy', position: 2, title: '第二讲', kind: 'DOCUMENT', durationSeconds: 4, startsAt: null, materialFilename: null, materialMediaType: null, materialUrl: null },
  { id: 'VToz', position: 3, title: '直播答疑', kind: 'LIVE', durationSeconds: 3600, startsAt: '2026-12-10T02:00:00+00:00', materialFilename: null, materialMediaType: null, materialUrl: null },
];

function learning() {
  return {
    data: {
      learningPolicy: { heartbeatIntervalSeconds: 1, minIntervalSeconds: 0.5, maxGapSeconds: 10 },
      node: {
        id: 'RW5yOjE=',
        status: 'ENROLLED',
        enrolledAt: '2026-11-29T01:00:00+00:00',
        unitsCompletedAt: null,
        completedAt: null,
        percent: 0,
        progress: [],
        attempts: [],
        course: {
          id: 'Q291cnNlOjE=',
          code: 'C1',
          title: '应急管理',
          description: '',
          specialty: null,
          subjectKind: 'GENERAL',
          hours: 3,
          opensOn: '2026-11-01',
          closesOn: '2027-01-31',
          capacity: null,
          enrolledCount: 1,
          status: 'PUBLISHED',
          isOpen: true,
          hasExam: true,
          examQuestionCount: 3,
          examMinutes: 10,
          examMaxAttempts: 3,
          passMark: 60,
          version: 3,
          provider: { id: 'UDox', name: '培训学院' },
          units: UNITS,
        },
      },
    },
  };
}

function beat(unitId: string, covered: number, percent: number, errors: { code: string; message: string }[] = []) {
  return {
    data: {
      learningHeartbeat: {
        creditedSeconds: 1,
        progress: errors.length
          ? null
          : { unit: { id: unitId }, coveredSeconds: covered, positionSeconds: covered, completed: covered >= 4, completedAt: null, byAttendance: false },
        enrolment: errors.length
          ? null
          : { id: 'RW5yOjE=', status: 'ENROLLED', percent, unitsCompletedAt: null, completedAt: null },
        errors: errors.map((e) => ({ field: 'sequence', ...e })),
      },
    },
  };
}

describe('课程学习', () => {
  it(
    'beats while playing with a growing sequence, ignores TOO_FAST, moves on, and stops on UNIT_LOCKED',
    async () => {
      const beats: RecordedRequest[] = [];
      const { api } = renderApp({
        path: '/learning/RW5yOjE=',
        tokens: tokenPair(),
        handlers: {
          Viewer: { data: viewerData(['REGISTRANT']) },
          LearningEnrolment: learning(),
          LearningHeartbeat: (request) => {
            beats.push(request);
            const n = beats.length;
            if (n === 1) return beat('VTox', 0, 0, [{ code: 'TOO_FAST', message: '心跳过于频繁，已忽略' }]);
            if (n === 2) return beat('VTox', 2, 25);
            if (n === 3) return beat('VTox', 4, 50);
            return beat('VToy', 0, 50, [{ code: 'UNIT_LOCKED', message: '请先完成“第一讲”' }]);
          },
        },
      });
      expect(await screen.findByRole('heading', { name: '应急管理' })).toBeInTheDocument();
      expect(screen.getByTestId('overall-percent')).toHaveTextContent('0%');
      // Live units state how they complete.
      expect(within(screen.getByTestId('unit-3')).getByText(/^直播 2026-12-10/)).toBeInTheDocument();

      await userEvent.setup().click(screen.getByRole('button', { name: /开始学习/ }));
      await waitFor(() => expect(screen.getByTestId('unit-2')).toHaveAttribute('aria-current', 'step'), { timeout: 20000 });
      expect(screen.getByTestId('unit-1-covered')).toHaveTextContent('00:04 / 00:04');
      expect(screen.getByTestId('overall-percent')).toHaveTextContent('50%');

      expect(await screen.findByText('请先完成“第一讲”', {}, { timeout: 15000 })).toBeInTheDocument();
      const sent = beats.length;
      const sequences = beats.map((b) => b.variables['sequence'] as number);
      for (let i = 1; i < sequences.length; i += 1) expect(sequences[i]).toBe((sequences[i - 1] ?? 0) + 1);
      expect(sequences[0]).toBeLessThan(2 ** 31);
      expect(beats.slice(0, 3).every((b) => b.variables['unitId'] === 'VTox')).toBe(true);
      expect(beats[3]?.variables['unitId']).toBe('VToy');
      expect(api.requests.every((r) => r.operationName !== 'LearningHeartbeat' || r.method === 'POST')).toBe(true);

      // A refused unit stops the beats.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(beats.length).toBe(sent);
      expect(screen.getByRole('button', { name: /开始学习/ })).toBeInTheDocument();
    },
    // Real heartbeats, one a second: on a loaded CI machine the page itself is slow too.
    60_000,
  );

  it('offers the exam once every unit is done and opens the attempt', async () => {
    const done = learning();
    done.data.node.progress = UNITS.slice(0, 2).map((u) => ({
      unit: { id: u.id },
      coveredSeconds: 4,
      positionSeconds: 4,
      completed: true,
      completedAt: '2026-11-29T01:00:00+00:00',
      byAttendance: false,
    })) as never;
    done.data.node.percent = 100;
    done.data.node.unitsCompletedAt = '2026-11-29T01:00:00+00:00' as never;
    const { router } = renderApp({
      path: '/learning/RW5yOjE=',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        LearningEnrolment: done,
        ExamStart: { data: { examStart: { attempt: { id: 'QXR0OjE=' }, errors: [] } } },
        ExamAttempt: { data: { node: null } },
      },
    });
    await userEvent.setup().click(await screen.findByRole('button', { name: '参加考试' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/exams/QXR0OjE%3D'));
    expect(router.state.location.search).toBe('?enrolment=RW5yOjE%3D');
  });
});
