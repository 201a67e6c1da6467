import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';

const requirement = {
  cycleStart: '2024-11-29',
  cycleEnd: '2029-10-31',
  cycleDescription: '统计期间：2024年11月29日至2029年10月31日（含）',
  required: 48,
  minProfessional: 32,
  earnedGeneral: 3,
  earnedProfessional: 0,
  counted: 3,
  shortfall: 45,
  professionalShortfall: 32,
  met: false,
  outlook: 'ON_TRACK',
  forecastDate: '2027-03-05',
  explanation: '公需学时最多计入16学时。',
};

const record = {
  id: 'SFI6MQ==',
  source: 'COURSE',
  status: 'ACCEPTED',
  courseTitle: '应急管理',
  providerName: '培训学院',
  subjectKind: 'GENERAL',
  countsAsProfessional: false,
  specialty: null,
  hours: 3,
  recognisedOn: '2026-11-29',
  ruleVersion: 'hours-v1',
  reference: null,
  reviewNote: null,
  evidenceUrl: null,
};

const transcript = {
  id: 'VHI6MQ==',
  status: 'READY',
  cycleStart: '2024-11-29',
  cycleEnd: '2029-10-31',
  verificationCode: 'XK7P-9QRT',
  sha256: 'ab'.repeat(32),
  requestedAt: '2026-11-29T01:00:00+00:00',
  readyAt: '2026-11-29T01:00:05+00:00',
  failure: null,
  downloadUrl: 'https://s3.example/transcript.pdf',
};

describe('我的学时', () => {
  it('shows the ring, the exact period, the shortfall with the forecast, the records and transcripts', async () => {
    renderApp({
      path: '/hours',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        MyHours: { data: { myHours: { pendingCount: 1, requirement, records: [record] } } },
        MyTranscripts: { data: { myTranscripts: [transcript] } },
      },
    });
    expect(await screen.findByTestId('hours-ring')).toHaveTextContent('3/48');
    expect(screen.getByTestId('cycle-description')).toHaveTextContent('统计期间：2024年11月29日至2029年10月31日（含）');
    expect(screen.getByText('尚差 45 学时（其中专业科目尚差 32 学时）')).toBeInTheDocument();
    expect(screen.getByTestId('outlook')).toHaveTextContent('按当前进度，预计于2027年3月5日达到要求');
    expect(screen.getByText(/另有 1 条个人申报待审核/)).toBeInTheDocument();
    const row = screen.getByRole('row', { name: /应急管理/ });
    for (const text of ['2026-11-29', '培训学院', '公需科目', '平台课程', '已认定', 'hours-v1']) {
      expect(within(row).getByText(text)).toBeInTheDocument();
    }
    expect(await screen.findByRole('link', { name: '下载 PDF' })).toHaveAttribute('href', transcript.downloadUrl);
    expect(screen.getByText('XK7P-9QRT')).toBeInTheDocument();
  });

  it('says there is no cycle without an active registration', async () => {
    renderApp({
      path: '/hours',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        MyHours: { data: { myHours: { pendingCount: 0, requirement: null, records: [] } } },
        MyTranscripts: { data: { myTranscripts: [] } },
      },
    });
    expect(await screen.findByText('当前没有有效注册，暂无统计周期')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '申请学时证明' })).toBeDisabled();
  });
});
