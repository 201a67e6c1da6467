import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import type { RecordedRequest } from '../../test/fakeApi';
import { startPutServer } from '../../uploads/testServer.mjs';
import type { PutServer } from '../../uploads/testServer.mjs';

let store: PutServer;
beforeAll(async () => {
  store = await startPutServer();
});
afterAll(async () => {
  await store.close();
});

/** uploadConfirm's answer for a slot of this purpose: CONFIRMED, or refused with these errors. */
function uploadConfirmed(id: string, purpose: string, errors: { field: string; code: string; message: string }[] = []) {
  const ok = errors.length === 0;
  return {
    data: {
      uploadConfirm: {
        upload: {
          id,
          purpose,
          status: ok ? 'CONFIRMED' : 'REFUSED',
          refusal: ok ? null : (errors[0]?.code ?? null),
          size: ok ? 9 : null,
          sha256: null,
          mediaType: ok ? 'image/png' : null,
          pages: null,
          confirmedAt: null,
        },
        target: null,
        errors,
      },
    },
  };
}

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

  it('uploads evidence to a draft: request, PUT, uploadConfirm with the slot id, then reloads the record', async () => {
    const draft = { ...record, status: 'DRAFT', evidence: [] };
    const attached = { ...draft, version: 3, evidence: [{ ...record.evidence[0], filename: '整改照片.png' }] };
    const slotId = 'VXBsb2FkU2xvdDoz';
    let confirmed = false;
    const { api } = renderApp({
      path: '/practice',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        PracticeRecords: () => ({ data: { practiceRecords: page([confirmed ? attached : draft]) } }),
        PracticeEvidenceUploadRequest: {
          data: { practiceEvidenceUploadRequest: { upload: { id: slotId, url: `${store.origin}/ok/practice-evidence` }, errors: [] } },
        },
        UploadConfirm: () => {
          confirmed = true;
          return {
            data: {
              uploadConfirm: {
                ...uploadConfirmed(slotId, 'PRACTICE_EVIDENCE').data.uploadConfirm,
                target: { __typename: 'PracticeRecord', id: record.id, version: 3, evidence: attached.evidence },
              },
            },
          };
        },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByText('储罐区专项隐患排查'));
    const drawer = await drawerOf('储罐区专项隐患排查');
    await user.upload(within(drawer).getByLabelText('上传证明材料'), new File(['PNG bytes'], '整改照片.png', { type: 'image/png' }));

    expect(await screen.findByText('已上传 整改照片.png')).toBeInTheDocument();
    expect(store.received.find((put) => put.path === '/ok/practice-evidence')).toMatchObject({ contentType: 'image/png', text: 'PNG bytes' });
    expect(api.requests.find((r) => r.operationName === 'PracticeEvidenceUploadRequest')?.variables).toEqual({
      recordId: record.id,
      size: 9,
      contentType: 'image/png',
      filename: '整改照片.png',
    });
    expect(api.requests.find((r) => r.operationName === 'UploadConfirm')?.variables).toEqual({ id: slotId });
    const names = api.names();
    expect(names.lastIndexOf('PracticeRecords')).toBeGreaterThan(names.indexOf('UploadConfirm'));
  });

  it('shows why uploadConfirm refused the evidence', async () => {
    const draft = { ...record, status: 'DRAFT', evidence: [] };
    renderApp({
      path: '/practice',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        PracticeRecords: { data: { practiceRecords: page([draft]) } },
        PracticeEvidenceUploadRequest: {
          data: { practiceEvidenceUploadRequest: { upload: { id: 'VXBsb2FkU2xvdDo0', url: `${store.origin}/ok/practice-refused` }, errors: [] } },
        },
        UploadConfirm: uploadConfirmed('VXBsb2FkU2xvdDo0', 'PRACTICE_EVIDENCE', [
          { field: 'id', code: 'STORAGE_UNAVAILABLE', message: 'storage down' },
        ]),
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByText('储罐区专项隐患排查'));
    const drawer = await drawerOf('储罐区专项隐患排查');
    await user.upload(within(drawer).getByLabelText('上传证明材料'), new File(['PNG bytes'], '整改照片.png', { type: 'image/png' }));
    expect(await within(drawer).findByText('整改照片.png：文件存储暂时不可用，请稍后重试')).toBeInTheDocument();
    expect(within(drawer).getByRole('button', { name: '重试' })).toBeInTheDocument();
  });
});

describe('信用管理', () => {
  const SLOT_ID = 'VXBsb2FkU2xvdDo5';

  async function enterEvent(enter: (request: RecordedRequest) => { data: unknown }) {
    const rendered = renderApp({
      path: '/review/credit',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['PROVINCIAL_REVIEWER']) },
        CreditEvents: { data: { creditEvents: page([]) } },
        CreditPersonSearch: {
          data: { persons: { edges: [{ node: { id: 'UGVyc29uOjE=', name: '梁志强', idNumberMasked: '440305********1358' } }] } },
        },
        CreditEvidenceUploadRequest: {
          data: { creditEvidenceUploadRequest: { upload: { id: SLOT_ID, url: `${store.origin}/ok/credit-evidence` }, errors: [] } },
        },
        UploadConfirm: uploadConfirmed(SLOT_ID, 'CREDIT_EVIDENCE'),
        CreditEventEnter: enter,
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '登记信用事件' }));
    const dialog = await screen.findByRole('dialog', { name: '登记信用事件' });
    await user.type(within(dialog).getByLabelText('人员'), '梁');
    await user.click(await screen.findByText('梁志强（440305********1358）'));
    await user.click(within(dialog).getByLabelText('事件类型'));
    await user.click(await screen.findByText(/^行政处罚（/));
    await user.type(within(dialog).getByLabelText('来源文书'), '粤应急罚〔2026〕12号');
    await user.type(within(dialog).getByLabelText('决定机关'), '广东省应急管理厅');
    await user.click(within(dialog).getByLabelText('发生日期'));
    await user.type(within(dialog).getByLabelText('发生日期'), '2026-11-02{enter}');
    const input = dialog.querySelector<HTMLInputElement>('input[type=file]');
    if (!input) throw new Error('no file input');
    await user.upload(input, new File(['PDF bytes'], '处罚决定书.pdf', { type: 'application/pdf' }));
    expect(await within(dialog).findByText('已上传：处罚决定书.pdf')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: '登记' }));
    return { ...rendered, dialog, user };
  }

  it('confirms the evidence when it is picked and enters the event with its slot id', async () => {
    const { api } = await enterEvent(() => ({ data: { creditEventEnter: { event: null, errors: [] } } }));
    expect(await screen.findByText('信用事件已登记')).toBeInTheDocument();
    expect(store.received.find((put) => put.path === '/ok/credit-evidence')).toMatchObject({ contentType: 'application/pdf', text: 'PDF bytes' });
    expect(api.requests.find((r) => r.operationName === 'UploadConfirm')?.variables).toEqual({ id: SLOT_ID });
    const names = api.names();
    expect(names.indexOf('UploadConfirm')).toBeGreaterThan(names.indexOf('CreditEvidenceUploadRequest'));
    expect(names.indexOf('CreditEventEnter')).toBeGreaterThan(names.indexOf('UploadConfirm'));
    expect(api.requests.find((r) => r.operationName === 'CreditEventEnter')?.variables).toEqual({
      input: {
        personId: 'UGVyc29uOjE=',
        kind: 'ADMINISTRATIVE_PENALTY',
        source: '粤应急罚〔2026〕12号',
        authority: '广东省应急管理厅',
        occurredOn: '2026-11-02',
        description: '',
        evidenceUploadId: SLOT_ID,
      },
    });
  });

  it('drops evidence the event could not take, so the file is chosen again', async () => {
    const { dialog } = await enterEvent(() => ({
      data: {
        creditEventEnter: {
          event: null,
          errors: [{ field: 'input.evidenceUploadId', code: 'UPLOAD_ALREADY_USED', message: 'used' }],
        },
      },
    }));
    expect(await within(dialog).findByText('该证明材料已被使用，请重新上传')).toBeInTheDocument();
    expect(within(dialog).queryByText('已上传：处罚决定书.pdf')).toBeNull();
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
    // the employer confirms that an evaluation cannot be withdrawn before it is sent
    await screen.findAllByText('确认提交评价？');
    const confirm = screen.getAllByRole('dialog').find((d) => d.textContent?.includes('确认提交评价？')) as HTMLElement;
    expect(confirm).toHaveTextContent('不能撤回');
    expect(seen).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: '确认提交' }));
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
    expect(screen.getByTestId('credit-model-version')).toHaveTextContent('信用评分模型第 1 版');
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
