import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import type { GraphQLResponseBody, RecordedRequest } from '../../test/fakeApi';
import { startPutServer } from '../../uploads/testServer.mjs';
import type { PutServer } from '../../uploads/testServer.mjs';

let store: PutServer;
beforeAll(async () => {
  store = await startPutServer();
});
afterAll(async () => {
  await store.close();
});

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
    for (const text of ['2026-11-29', '培训学院', '公需科目', '平台课程', '已认定', '按平台课程学时认定规则（第 1 版）认定']) {
      expect(within(row).getByText(text)).toBeInTheDocument();
    }
    expect(await screen.findByRole('link', { name: '下载 PDF' })).toHaveAttribute('href', transcript.downloadUrl);
    expect(screen.getByText('XK7P-9QRT')).toBeInTheDocument();
  });

  it('shows a failed transcript with its reason and 重试 requests a new one', async () => {
    const failed = { ...transcript, status: 'FAILED', sha256: null, readyAt: null, downloadUrl: null, failure: '生成任务失败（已自动重试），请重新申请' };
    const pending = { ...transcript, id: 'VHI6Mg==', status: 'PENDING', sha256: null, readyAt: null, downloadUrl: null, verificationCode: 'NEW1-CODE' };
    let requested = false;
    const { api } = renderApp({
      path: '/hours',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        MyHours: { data: { myHours: { pendingCount: 0, requirement, records: [record] } } },
        MyTranscripts: () => ({ data: { myTranscripts: requested ? [pending, failed] : [failed] } }),
        TranscriptRequest: () => {
          requested = true;
          return { data: { transcriptRequest: { transcript: pending, errors: [] } } };
        },
      },
    });
    // (queries scoped to the transcript row: getByRole over the whole page is slow in jsdom)
    const row = (await screen.findByText('生成任务失败（已自动重试），请重新申请')).closest('tr') as HTMLElement;
    expect(within(row).getByText('生成失败')).toBeInTheDocument();
    const retry = within(row).getByText('重试').closest('button') as HTMLButtonElement;
    const user = userEvent.setup();
    await user.click(retry);
    expect(await screen.findByText('NEW1-CODE')).toBeInTheDocument();
    expect(api.requests.filter((r) => r.operationName === 'TranscriptRequest')).toHaveLength(1);
    // a new one is pending: 生成中 (polling), and no second 重试 while it is
    expect(screen.getByText('生成中')).toBeInTheDocument();
    expect(screen.queryByText('重试')).toBeNull();
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

describe('个人申报', () => {
  const SLOT_ID = 'VXBsb2FkU2xvdDoxMg==';

  function confirmed(status: string, errors: { field: string; code: string; message: string }[] = []) {
    return {
      data: {
        uploadConfirm: {
          upload: {
            id: SLOT_ID,
            purpose: 'HOURS_EVIDENCE',
            status,
            refusal: errors[0]?.code ?? null,
            size: status === 'CONFIRMED' ? 12 : null,
            sha256: null,
            mediaType: status === 'CONFIRMED' ? 'application/pdf' : null,
            pages: null,
            confirmedAt: null,
          },
          target: null,
          errors,
        },
      },
    };
  }

  function openReport(handlers: Record<string, GraphQLResponseBody | ((r: RecordedRequest) => GraphQLResponseBody)>) {
    return renderApp({
      path: '/hours',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        MyHours: { data: { myHours: { pendingCount: 0, requirement, records: [] } } },
        MyTranscripts: { data: { myTranscripts: [] } },
        HoursEvidenceUploadRequest: (r) => ({
          data: {
            hoursEvidenceUploadRequest: {
              upload: { id: SLOT_ID, url: `${store.origin}/ok/hours-${String(r.variables['filename'])}` },
              errors: [],
            },
          },
        }),
        ...handlers,
      },
    });
  }

  async function fillAndSubmit(user: ReturnType<typeof userEvent.setup>, filename: string) {
    await user.click(await screen.findByRole('button', { name: '个人申报' }));
    const dialog = await screen.findByRole('dialog', { name: '个人申报学时' });
    await user.type(within(dialog).getByLabelText('课程/培训名称'), '危险化学品安全');
    await user.type(within(dialog).getByLabelText('培训机构'), '省安全培训中心');
    await user.type(within(dialog).getByLabelText('学时'), '8');
    await user.click(within(dialog).getByLabelText('完成日期'));
    await user.type(within(dialog).getByLabelText('完成日期'), '2026-11-20{enter}');
    const input = dialog.querySelector<HTMLInputElement>('input[type=file]');
    if (!input) throw new Error('no file input');
    await user.upload(input, new File(['%PDF-1.7 证明'], filename, { type: 'application/pdf' }));
    await user.click(within(dialog).getByRole('button', { name: '提交申报' }));
    return dialog;
  }

  it('uploads the evidence, confirms its slot, reports with the slot id, and reuses the slot after a field error', async () => {
    let reports = 0;
    const { api } = openReport({
      UploadConfirm: confirmed('CONFIRMED'),
      HoursSelfReport: () => {
        reports += 1;
        return reports === 1
          ? { data: { hoursSelfReport: { record: null, errors: [{ field: 'input.hours', code: 'INVALID_VALUE', message: '学时超过上限' }] } } }
          : { data: { hoursSelfReport: { record: { ...record, id: 'SFI6Mg==', source: 'SELF_REPORTED', status: 'PENDING' }, errors: [] } } };
      },
    });
    const user = userEvent.setup();
    const dialog = await fillAndSubmit(user, 'cert-a.pdf');

    expect(await within(dialog).findByText('学时超过上限')).toBeInTheDocument();
    expect(store.received.find((put) => put.path === '/ok/hours-cert-a.pdf')).toMatchObject({
      contentType: 'application/pdf',
      text: '%PDF-1.7 证明',
    });
    const names = api.names().filter((n) => ['HoursEvidenceUploadRequest', 'UploadConfirm', 'HoursSelfReport'].includes(n));
    expect(names).toEqual(['HoursEvidenceUploadRequest', 'UploadConfirm', 'HoursSelfReport']);
    expect(api.requests.find((r) => r.operationName === 'HoursEvidenceUploadRequest')?.variables).toEqual({
      size: new Blob(['%PDF-1.7 证明']).size,
      contentType: 'application/pdf',
      filename: 'cert-a.pdf',
    });
    expect(api.requests.find((r) => r.operationName === 'UploadConfirm')?.variables).toEqual({ id: SLOT_ID });
    expect(api.requests.find((r) => r.operationName === 'HoursSelfReport')?.variables).toMatchObject({
      input: { courseTitle: '危险化学品安全', providerName: '省安全培训中心', hours: 8, completedOn: '2026-11-20', evidenceUploadId: SLOT_ID },
    });

    // The field fixed, the same file goes again: its confirmed slot is reused, not re-uploaded.
    await user.click(within(dialog).getByRole('button', { name: '提交申报' }));
    expect(await screen.findByText('已提交个人申报，审核通过后计入学时')).toBeInTheDocument();
    const reported = api.requests.filter((r) => r.operationName === 'HoursSelfReport');
    expect(reported).toHaveLength(2);
    expect(reported[1]?.variables['input']).toMatchObject({ evidenceUploadId: SLOT_ID });
    expect(api.names().filter((n) => n === 'HoursEvidenceUploadRequest' || n === 'UploadConfirm')).toHaveLength(2);
  });

  it('shows why the confirmation refused the file and does not report', async () => {
    const { api } = openReport({
      UploadConfirm: confirmed('REFUSED', [{ field: 'id', code: 'INVALID_CONTENT', message: 'bad bytes' }]),
      HoursSelfReport: { errors: [{ message: 'must not be called' }] },
    });
    const user = userEvent.setup();
    const dialog = await fillAndSubmit(user, 'cert-b.pdf');

    expect(await within(dialog).findByText('文件内容与类型不符或已损坏')).toBeInTheDocument();
    await waitFor(() => expect(api.names()).toContain('UploadConfirm'));
    expect(api.names()).not.toContain('HoursSelfReport');
  });
});
