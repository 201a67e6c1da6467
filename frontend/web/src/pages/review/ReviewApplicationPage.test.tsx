import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import { application } from '../../test/applicationFixture';

const submitted = application({
  status: 'SUBMITTED',
  statusName: '已提交',
  version: 7,
  comparisons: [
    {
      documentKind: 'QUALIFICATION_CERTIFICATE',
      field: 'certificate_number',
      ocrValue: '0344201800012345',
      confirmedValue: '0344201800012345',
      expectedSource: 'form.qualification_number',
      expectedValue: '0344201800099999',
      agrees: false,
    },
  ],
});

describe('审核详情', () => {
  it('shows the applicant, highlights disagreements, and reports a stale claim', async () => {
    const { api } = renderApp({
      path: '/review/applications/QXBwOjE=',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['PROVINCIAL_REVIEWER']) },
        ApplicationDetail: { data: { node: submitted } },
        ApplicationClaim: {
          data: {
            applicationClaim: {
              application: null,
              errors: [{ field: 'expectedVersion', code: 'STALE_VERSION', message: 'stale' }],
            },
          },
        },
      },
    });
    expect(await screen.findByTestId('applicant-id-number')).toHaveTextContent('440305198604121358');
    expect(screen.getByText('不一致').closest('tr')).toHaveClass('comparison-mismatch');

    await userEvent.setup().click(screen.getByText('领取'));
    await waitFor(() => expect(api.names()).toContain('ApplicationClaim'));
    expect(api.requests.find((r) => r.operationName === 'ApplicationClaim')?.variables).toEqual({
      id: 'QXBwOjE=',
      expectedVersion: 7,
    });
    expect(await screen.findByText('申请已被他人处理，请刷新')).toBeInTheDocument();
  });
});
