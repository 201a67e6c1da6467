import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import type { Role } from '../../gql/graphql';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import type { GraphQLResponseBody } from '../../test/fakeApi';
import { shanghaiToday } from '../employer/staff';

/** Today (Asia/Shanghai) plus days, YYYY-MM-DD. */
function inDays(days: number): string {
  return new Date(Date.parse(`${shanghaiToday()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function openHome(roles: Role[], handlers: Record<string, GraphQLResponseBody>) {
  return renderApp({ path: '/', tokens: tokenPair(), handlers: { Viewer: { data: viewerData(roles) }, ...handlers } });
}

const REGISTRANT: GraphQLResponseBody = {
  data: {
    myApplications: {
      totalCount: 2,
      edges: [
        {
          node: {
            id: 'QXBwOjE=',
            kind: 'INITIAL',
            status: 'APPROVED',
            specialty: 'CHEMICAL',
            missingDocuments: [],
            returnItems: [],
            dueAt: null,
            deadlineStatus: null,
            submittedAt: '2025-01-02T02:00:00Z',
            createdAt: '2025-01-01T02:00:00Z',
          },
        },
        {
          node: {
            id: 'QXBwOjI=',
            kind: 'CHANGE',
            status: 'RETURNED_FOR_CORRECTION',
            specialty: 'CHEMICAL',
            missingDocuments: [],
            returnItems: ['劳动合同缺少盖章页'],
            dueAt: null,
            deadlineStatus: null,
            submittedAt: '2026-11-02T02:00:00Z',
            createdAt: '2026-11-01T02:00:00Z',
          },
        },
      ],
    },
    myHours: {
      pendingCount: 1,
      requirement: { cycleEnd: inDays(200), required: 24, counted: 16, shortfall: 8, met: false, outlook: 'ON_TRACK' },
    },
    myRegistration: { specialty: 'CHEMICAL', status: 'ACTIVE', validUntil: inDays(60), number: '4400012025000001' },
    myCertificates: [{ id: 'Q2VydDox', number: '4400012025000001', status: 'ACTIVE', specialty: 'CHEMICAL', validUntil: inDays(60) }],
  },
};

describe('工作台', () => {
  it('shows a registrant the next step of the open application, the hours shortfall and the expiry', async () => {
    openHome(['REGISTRANT'], { HomeRegistrant: REGISTRANT });
    expect(await screen.findByRole('heading', { name: '工作台' })).toBeInTheDocument();
    expect(await screen.findByText('退回补正：请按退回事项补正后重新提交')).toBeInTheDocument();
    expect(screen.getByText('补正事项：劳动合同缺少盖章页')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '补正材料' })).toHaveAttribute('href', '/applications/QXBwOjI%3D');
    expect(screen.getByText('学时尚差 8 学时')).toBeInTheDocument();
    expect(screen.getByText(/剩 200 天.*另有 1 条个人申报待审核/)).toBeInTheDocument();
    expect(screen.getByText('注册证书 4400012025000001还有 60 天到期')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '申请延续注册' })).toHaveAttribute('href', '/applications');
    // Never the raw codes.
    expect(screen.queryByText(/RETURNED_FOR_CORRECTION|ON_TRACK/)).not.toBeInTheDocument();
  });

  it('shows a provincial reviewer the urgent cases with links, and the pending self-reported hours', async () => {
    const { api } = openHome(['PROVINCIAL_REVIEWER'], {
      HomeReviewQueue: {
        data: {
          reviewQueueCounts: { total: 7, breached: 1, dueSoon: 2, unclaimed: 3 },
          reviewQueue: {
            totalCount: 7,
            edges: [
              {
                node: {
                  id: 'QXBwOjk=',
                  kind: 'INITIAL',
                  status: 'PRELIMINARY_REVIEW',
                  specialty: 'MINING',
                  applicant: { id: 'UDox', name: '林*' },
                  dueAt: '2026-12-01T10:00:00Z',
                  deadlineStatus: 'BREACHED',
                  assignedToMe: true,
                },
              },
            ],
          },
        },
      },
      HomePendingHourReports: { data: { pendingHourReports: { totalCount: 4 } } },
    });
    const list = await screen.findByRole('list', { name: '初审待办：最紧急的案件' });
    const link = within(list).getByRole('link', { name: /林\*/ });
    expect(link).toHaveAttribute('href', '/review/applications/QXBwOjk%3D');
    expect(within(list).getByText('已超时')).toBeInTheDocument();
    expect(within(list).getByText('时限 2026年12月1日 18:00')).toBeInTheDocument();
    expect(screen.getByText('即将到期')).toBeInTheDocument();
    expect(await screen.findByText('4')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '去审核' })).toHaveAttribute('href', '/review/hours');
    expect(api.requests.find((r) => r.operationName === 'HomeReviewQueue')?.variables).toMatchObject({ stage: 'PRELIMINARY' });
  });

  it('shows a ministry reviewer the final-review queue, without the hours reports', async () => {
    const { api } = openHome(['MINISTRY_REVIEWER'], {
      HomeReviewQueue: {
        data: { reviewQueueCounts: { total: 0, breached: 0, dueSoon: 0, unclaimed: 0 }, reviewQueue: { totalCount: 0, edges: [] } },
      },
    });
    expect(await screen.findByText('暂无待办案件。')).toBeInTheDocument();
    expect(screen.getByText('终审待办')).toBeInTheDocument();
    expect(api.requests.find((r) => r.operationName === 'HomeReviewQueue')?.variables).toMatchObject({ stage: 'FINAL' });
    expect(api.requests.some((r) => r.operationName === 'HomePendingHourReports')).toBe(false);
  });

  it('shows an employer admin the staff needing attention and the pending invitations', async () => {
    const person = (id: string, name: string, validUntil: string, shortfall: number) => ({
      id,
      name,
      idNumberMasked: '440305********1358',
      registration: { status: 'ACTIVE', validUntil, number: null },
      currentCertificate: null,
      hours: { required: 24, counted: 24 - shortfall, shortfall, met: shortfall === 0, outlook: shortfall ? 'BEHIND' : 'MET', cycleEnd: inDays(300) },
    });
    openHome(['EMPLOYER_ADMIN'], {
      HomeEmployer: {
        data: {
          persons: {
            totalCount: 3,
            pageInfo: { hasNextPage: false },
            edges: [
              { node: person('UDox', '张三', inDays(500), 0) },
              { node: person('UDoy', '李四', inDays(30), 0) },
              { node: person('UDoz', '王五', inDays(500), 6) },
            ],
          },
          employmentInvitations: { totalCount: 2 },
        },
      },
    });
    const list = await screen.findByRole('list', { name: '需关注的人员' });
    expect(within(list).getByText('李四')).toBeInTheDocument();
    expect(within(list).getByText('注册即将到期')).toBeInTheDocument();
    expect(within(list).getByText('王五')).toBeInTheDocument();
    expect(within(list).getByText('差 6 学时')).toBeInTheDocument();
    expect(within(list).queryByText('张三')).not.toBeInTheDocument();
    expect(screen.getByText('待确认的聘用邀请')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '查看聘用邀请' })).toHaveAttribute('href', '/employer/staff');
  });

  it('gives trainers, analysts and administrators links to their sections', async () => {
    openHome(['ANALYST', 'TRAINER'], {});
    expect(await screen.findByRole('heading', { name: '工作台' })).toBeInTheDocument();
    const main = screen.getByRole('region', { name: '工作台' });
    expect(within(main).getByRole('link', { name: '统计分析' })).toHaveAttribute('href', '/analytics');
    expect(within(main).getByRole('link', { name: '课程管理' })).toHaveAttribute('href', '/trainer/courses');
  });

  it('tells a user without a role that they have none', async () => {
    openHome([], {});
    expect(await screen.findByText('账号尚未分配角色')).toBeInTheDocument();
  });
});
