import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import type { RecordedRequest } from '../../test/fakeApi';

const evaluation = {
  id: 'RXZhbHVhdGlvbjox',
  versionNo: 1,
  supersedesId: null,
  quality: 5,
  timeliness: 4,
  compliance: 5,
  conduct: 5,
  average: 4.75,
  comment: '排查全面',
  submittedAt: '2026-11-28T02:00:00+00:00',
  evaluatorName: '单位管理员',
  recordId: 'UHJhY3RpY2VSZWNvcmQ6MQ==',
};

const record = {
  id: 'UHJhY3RpY2VSZWNvcmQ6MQ==',
  personId: 'UGVyc29uOjE=',
  personName: '梁志强',
  employerName: '佛山市安泰石化储运有限公司',
  clientName: null,
  clientCreditCode: null,
  kind: 'HAZARD_INVESTIGATION',
  project: '储罐区专项隐患排查',
  role: '排查组组长',
  startedOn: '2026-11-10',
  endedOn: '2026-11-20',
  hazardsFound: 6,
  hazardsRectified: 5,
  description: '专项排查',
  status: 'SUBMITTED',
  version: 2,
  projectLeadName: null,
  submittedAt: '2026-11-21T02:00:00+00:00',
  decidedAt: null,
  rejectionReason: null,
  evidence: [
    { filename: '排查报告.png', mediaType: 'image/png', size: 2048, sha256: 'ab'.repeat(32), downloadUrl: 'http://s3/e.png' },
  ],
  evaluation: null,
  evaluations: [],
};

/** The open drawer whose title mentions this text. */
async function drawerOf(text: string): Promise<HTMLElement> {
  return waitFor(() => {
    const found = [...document.querySelectorAll<HTMLElement>('.ant-drawer-section')].find((d) =>
      d.querySelector('.ant-drawer-title')?.textContent?.includes(text),
    );
    if (!found) throw new Error(`no drawer titled ${text}`);
    return found;
  });
}

const page = (nodes: unknown[]) => ({
  totalCount: nodes.length,
  pageInfo: { hasNextPage: false, endCursor: null },
  edges: nodes.map((node) => ({ node })),
});

describe('执业记录', () => {
  it('lists my records and shows a submission error', async () => {
    const draft = { ...record, status: 'DRAFT', evidence: [] };
    renderApp({
      path: '/practice',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        PracticeRecords: { data: { practiceRecords: page([draft]) } },
        PracticeRecordSubmit: {
          data: {
            practiceRecordSubmit: {
              record: null,
              errors: [{ field: 'endedOn', code: 'OUTSIDE_REGISTRATION', message: 'outside' }],
            },
          },
        },
      },
    });
    const user = userEvent.setup();
    // Role queries with names are slow over antd's DOM: find by text, then scope.
    await user.click(await screen.findByText('储罐区专项隐患排查'));
    const drawer = await drawerOf('储罐区专项隐患排查');
    expect(within(drawer).getByTestId('record-status')).toHaveTextContent('草稿');
    expect(within(drawer).getByLabelText('上传证明材料')).toBeInTheDocument();
    await user.click(within(drawer).getByText('提交确认'));
    expect(await within(drawer).findByText('执业日期不在注册有效期内')).toBeInTheDocument();
  });
});

describe('待评价', () => {
  it('evaluates a record with four scores and a comment', async () => {
    const seen: RecordedRequest[] = [];
    renderApp({
      path: '/employer/evaluations',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['EMPLOYER_ADMIN']) },
        PracticeRecordsToEvaluate: { data: { practiceRecordsToEvaluate: page([record]) } },
        EvaluationSubmit: (request) => {
          seen.push(request);
          return {
            data: {
              evaluationSubmit: {
                evaluation,
                record: { ...record, status: 'CONFIRMED', evaluation, evaluations: [evaluation] },
                errors: [],
              },
            },
          };
        },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText('评价：储罐区专项隐患排查'));
    const drawer = await drawerOf('储罐区专项隐患排查');
    expect(within(drawer).getByRole('link', { name: '下载 排查报告.png' })).toHaveAttribute('href', 'http://s3/e.png');
    for (const [dimension, stars] of [['quality', 5], ['timeliness', 4], ['compliance', 5], ['conduct', 5]] as const) {
      await user.click(within(within(drawer).getByTestId(`rate-${dimension}`)).getAllByRole('radio')[stars - 1] as HTMLElement);
    }
    await user.type(within(drawer).getByLabelText('评语'), '排查全面');
    await user.click(within(drawer).getByText('提交评价'));
    await waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.variables).toMatchObject({
      recordId: record.id,
      scores: { quality: 5, timeliness: 4, compliance: 5, conduct: 5 },
      comment: '排查全面',
    });
    expect(await within(drawer).findByTestId('evaluation-average')).toHaveTextContent('4.75');
  });
});

describe('信用画像', () => {
  it('shows the score, grade, colour and every contribution with its source', async () => {
    renderApp({
      path: '/credit',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        MyCredit: {
          data: {
            creditScore: {
              value: 810,
              grade: 'A',
              provincialColour: '蓝',
              modelVersion: 'credit-v1',
              computedAt: '2026-11-29T02:00:00+00:00',
              contributions: [
                { factor: 'BASE', points: 600, source: { kind: 'BASE', id: null, description: '基础分' } },
                { factor: 'EVALUATION', points: 187.5, source: { kind: 'EVALUATION', id: evaluation.id, description: '评价平均4.75分' } },
                { factor: 'ACTIVITY', points: 9.5, source: { kind: 'PRACTICE_RECORD', id: record.id, description: '已确认执业记录' } },
              ],
            },
            creditScoreHistory: [
              { value: 810, grade: 'A', provincialColour: '蓝', modelVersion: 'credit-v1', computedAt: '2026-11-29T02:00:00+00:00' },
              { value: 600, grade: 'C', provincialColour: '橙', modelVersion: 'credit-v1', computedAt: '2026-11-01T02:00:00+00:00' },
            ],
            practiceRecords: {
              totalCount: 1,
              edges: [{ node: { id: record.id, kind: record.kind, project: record.project, endedOn: record.endedOn, status: 'CONFIRMED', evaluations: [evaluation] } }],
            },
          },
        },
        CreditEvents: { data: { creditEvents: page([]) } },
      },
    });
    expect(await screen.findByTestId('credit-score-value')).toHaveTextContent('810');
    expect(screen.getByTestId('credit-grade')).toHaveTextContent('A 级');
    expect(screen.getByTestId('credit-colour')).toHaveTextContent('蓝色');
    expect(screen.getByTestId('credit-model-version')).toHaveTextContent('credit-v1');
    const rows = screen.getAllByTestId('contribution-row');
    expect(rows).toHaveLength(3);
    const evaluationRow = rows.find((r) => r.getAttribute('data-source-kind') === 'EVALUATION') as HTMLElement;
    expect(evaluationRow).toHaveTextContent('+187.5');
    expect(within(evaluationRow).getByRole('link', { name: /储罐区专项隐患排查（第1版评价/ })).toHaveAttribute(
      'href',
      `/practice?record=${encodeURIComponent(record.id)}`,
    );
    expect(screen.getByText('暂无信用事件')).toBeInTheDocument();
  });
});
