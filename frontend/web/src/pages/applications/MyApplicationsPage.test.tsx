import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';

describe('我的申请', () => {
  it('lists the applications and creates one for the current employer', async () => {
    const { api, router } = renderApp({
      path: '/applications',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        MyEmployment: {
          data: {
            viewer: {
              person: {
                id: 'P1',
                specialty: 'CHEMICAL',
                currentEmployment: { id: 'M1', employer: { id: 'RW1', name: '东莞市恒安化工有限公司' } },
              },
            },
          },
        },
        MyApplications: {
          data: {
            myApplications: {
              totalCount: 1,
              edges: [
                {
                  node: {
                    id: 'A0',
                    kind: 'RENEWAL',
                    status: 'APPROVED',
                    statusName: '准予注册',
                    specialty: 'CHEMICAL',
                    version: 9,
                    submittedAt: '2023-05-01T09:00:00+08:00',
                    createdAt: '2023-04-30T09:00:00+08:00',
                    decidedAt: null,
                    dueAt: null,
                    deadlineStatus: null,
                    employer: { id: 'RW1', name: '东莞市恒安化工有限公司' },
                  },
                },
              ],
            },
          },
        },
        ApplicationCreate: {
          data: {
            applicationCreate: {
              application: { id: 'A1', kind: 'INITIAL', status: 'DRAFT', statusName: '草稿', version: 1 },
              errors: [],
            },
          },
        },
        ApplicationDetail: { data: { node: null } },
      },
    });
    expect(await screen.findByText('延续注册')).toBeInTheDocument();
    expect(screen.getByText('准予注册')).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByText('新建申请'));
    expect(await screen.findByText('东莞市恒安化工有限公司', { selector: '.ant-modal *' })).toBeInTheDocument();
    await user.click(screen.getByText('创建申请'));
    await waitFor(() => expect(api.names()).toContain('ApplicationCreate'));
    expect(api.requests.find((r) => r.operationName === 'ApplicationCreate')?.variables).toEqual({
      input: { kind: 'INITIAL', specialty: 'CHEMICAL', employerId: 'RW1' },
    });
    await waitFor(() => expect(router.state.location.pathname).toBe('/applications/A1'));
  });
});
