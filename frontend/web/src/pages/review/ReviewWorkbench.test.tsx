import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';

const row = (id: string, name: string, deadlineStatus: string) => ({
  id,
  kind: 'INITIAL',
  status: 'SUBMITTED',
  statusName: '已提交',
  specialty: 'CHEMICAL',
  version: 3,
  provinceCode: '440000',
  applicant: { id: `P${id}`, name },
  employer: { id: 'E1', name: '东莞市恒安化工有限公司' },
  submittedAt: '2026-11-01T09:00:00+08:00',
  dueAt: '2026-11-20T17:00:00+08:00',
  deadlineStatus,
  assignedToMe: false,
  preliminaryReviewerName: null,
  finalReviewerName: null,
});

describe('初审工作台', () => {
  it('shows the queue counts and the queue with deadline tags', async () => {
    const { api } = renderApp({
      path: '/review/preliminary',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['PROVINCIAL_REVIEWER']) },
        ReviewQueueCounts: {
          data: { reviewQueueCounts: { total: 7, breached: 2, dueSoon: 1, onTime: 4, unclaimed: 5 } },
        },
        ReviewQueue: {
          data: {
            reviewQueue: {
              totalCount: 2,
              edges: [
                { node: row('A1', '林晓', 'BREACHED') },
                { node: row('A2', '王强', 'ON_TIME') },
              ],
            },
          },
        },
      },
    });
    expect(await screen.findByRole('heading', { name: '初审工作台' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: '林晓' })).toHaveAttribute('href', '/review/applications/A1');
    const total = screen.getByText('待办总数').closest('.ant-statistic');
    expect(within(total as HTMLElement).getByText('7')).toBeInTheDocument();
    const breached = screen.getByText(/已超时$/, { selector: '.ant-tag' });
    expect(breached.className).toMatch(/red/);
    expect(api.requests.find((r) => r.operationName === 'ReviewQueue')?.variables).toMatchObject({ stage: 'PRELIMINARY' });
  });

  it('is refused to a registrant', async () => {
    renderApp({ path: '/review/final', tokens: tokenPair(), handlers: { Viewer: { data: viewerData(['REGISTRANT']) } } });
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
  });
});
