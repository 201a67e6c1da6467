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
    {
      documentKind: 'ID_CARD',
      field: 'gender',
      ocrValue: 'MALE',
      confirmedValue: 'MALE',
      expectedSource: 'person.gender',
      expectedValue: 'MALE',
      agrees: true,
    },
    {
      documentKind: 'QUALIFICATION_CERTIFICATE',
      field: 'specialty',
      ocrValue: 'METAL_SMELTING',
      confirmedValue: 'METAL_SMELTING',
      expectedSource: 'form.specialty',
      expectedValue: 'METAL_SMELTING',
      agrees: true,
    },
  ],
  verifications: [
    {
      check: 'IDENTITY',
      status: 'UNVERIFIED',
      source: 'local',
      explanation: '本地校验：身份证号码校验位正确（未联网核查）',
      checkedAt: '2026-11-29T10:00:00+08:00',
    },
  ],
  history: [
    { action: 'CREATE', fromStatus: null, toStatus: 'DRAFT', actorName: '张三', reason: null, items: [], at: '2026-11-29T09:00:00+08:00' },
    { action: 'SUBMIT', fromStatus: 'DRAFT', toStatus: 'SUBMITTED', actorName: '张三', reason: null, items: [], at: '2026-11-29T09:30:00+08:00' },
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
    // No raw codes: OCR values, the verification source and the history actions in Chinese.
    expect(screen.getAllByText('男').length).toBe(3);
    expect(screen.getAllByText('金属冶炼安全').length).toBeGreaterThanOrEqual(3);
    expect(screen.getByText(/^本地校验（/)).toBeInTheDocument();
    expect(screen.getByText('创建申请')).toBeInTheDocument();
    expect(screen.getByText('提交申请')).toBeInTheDocument();
    for (const raw of ['MALE', 'METAL_SMELTING', 'local', 'CREATE', 'SUBMIT']) {
      expect(screen.queryByText(raw)).not.toBeInTheDocument();
    }

    await userEvent.setup().click(screen.getByText('领取'));
    await waitFor(() => expect(api.names()).toContain('ApplicationClaim'));
    expect(api.requests.find((r) => r.operationName === 'ApplicationClaim')?.variables).toEqual({
      id: 'QXBwOjE=',
      expectedVersion: 7,
    });
    expect(await screen.findByText('申请已被他人处理，请刷新')).toBeInTheDocument();
  });
});
