import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import { application } from '../../test/applicationFixture';
import { startPutServer } from '../../uploads/testServer.mjs';
import type { PutServer } from '../../uploads/testServer.mjs';

let store: PutServer;
beforeAll(async () => {
  store = await startPutServer();
});
afterAll(async () => {
  await store.close();
});

const PRECHECK = {
  data: {
    applicationPrecheck: {
      ready: false,
      missingDocuments: ['APPLICATION_FORM'],
      checks: [{ code: 'AGE', result: 'PASS', explanation: '年龄符合要求' }],
      flags: [],
      problems: [{ field: null, code: 'MISSING_DOCUMENTS', message: '缺少注册申请表' }],
    },
  },
};

describe('申请详情', () => {
  it('shows coded OCR values by their Chinese names and confirms the codes', async () => {
    const base = application();
    const [doc] = base.documents as Array<Record<string, unknown>>;
    const withSpecialty = {
      ...base,
      documents: [
        {
          ...doc,
          ocrFields: [
            { name: 'certificate_number', value: '0344201800012345', confidence: 0.98, corrected: false, valid: true },
            { name: 'specialty', value: 'METAL_SMELTING', confidence: 0.9, corrected: false, valid: true },
          ],
        },
      ],
    };
    const { api } = renderApp({
      path: '/applications/QXBwOjE=',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        ApplicationDetail: { data: { node: withSpecialty } },
        ApplicationPrecheck: PRECHECK,
        DocumentFieldsConfirm: { data: { documentFieldsConfirm: { document: null, errors: [{ field: null, code: 'NOT_EDITABLE', message: '不可修改' }] } } },
      },
    });
    await screen.findByText('确认识别结果');
    expect(screen.getAllByText('金属冶炼安全').length).toBeGreaterThan(0);
    expect(screen.queryByText('METAL_SMELTING')).not.toBeInTheDocument();
    await userEvent.setup().click(screen.getByText('确认识别结果'));
    await waitFor(() => expect(api.names()).toContain('DocumentFieldsConfirm'));
    expect(api.requests.find((r) => r.operationName === 'DocumentFieldsConfirm')?.variables).toMatchObject({
      fields: expect.arrayContaining([{ name: 'specialty', value: 'METAL_SMELTING' }]),
    });
  });

  it('pre-fills the form from the certificate OCR and saves it with the version', async () => {
    const { api } = renderApp({
      path: '/applications/QXBwOjE=',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        ApplicationDetail: { data: { node: application() } },
        ApplicationPrecheck: PRECHECK,
        ApplicationUpdate: {
          data: {
            applicationUpdate: {
              application: {
                id: 'QXBwOjE=',
                status: 'DRAFT',
                statusName: '草稿',
                version: 5,
                form: {
                  qualificationNumber: '0344201800012345',
                  qualificationDate: '2024-10-20',
                  education: null,
                  school: null,
                  major: null,
                  diplomaNumber: null,
                  identityNote: null,
                },
              },
              errors: [],
            },
          },
        },
      },
    });
    const number = await screen.findByLabelText('资格证书编号');
    expect(number).toHaveValue('0344201800012345');
    expect(screen.getByLabelText('资格取得日期')).toHaveValue('2024-10-20');
    expect(screen.getByText('确认识别结果').closest('button')).not.toBeNull();
    expect(await screen.findByText('缺少注册申请表')).toBeInTheDocument();
    expect(document.querySelector('input[type=file][data-testid="upload-QUALIFICATION_CERTIFICATE"]')).not.toBeNull();

    await userEvent.setup().click(screen.getByText('保存申请表'));
    await waitFor(() => expect(api.names()).toContain('ApplicationUpdate'));
    expect(api.requests.find((r) => r.operationName === 'ApplicationUpdate')?.variables).toMatchObject({
      id: 'QXBwOjE=',
      expectedVersion: 4,
      input: { form: { qualificationNumber: '0344201800012345', qualificationDate: '2024-10-20' } },
    });
  });

  it('shows the submission errors', async () => {
    const rendered = renderApp({
      path: '/applications/QXBwOjE=',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        ApplicationDetail: { data: { node: application() } },
        ApplicationPrecheck: PRECHECK,
        ApplicationSubmit: {
          data: {
            applicationSubmit: {
              application: null,
              errors: [{ field: null, code: 'MISSING_DOCUMENTS', message: '缺少材料：注册申请表' }],
            },
          },
        },
      },
    });
    const { api } = rendered;
    await screen.findByText('年龄符合要求');
    const user = userEvent.setup();
    await user.click(screen.getByText('提交申请'));
    // nothing is sent until the registrant confirms what cannot be undone
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('不能再修改');
    expect(api.names()).not.toContain('ApplicationSubmit');
    await user.click(within(dialog).getByRole('button', { name: '确认提交' }));
    await waitFor(() => expect(api.names()).toContain('ApplicationSubmit'));
    expect(api.requests.find((r) => r.operationName === 'ApplicationSubmit')?.variables).toEqual({
      id: 'QXBwOjE=',
      expectedVersion: 4,
    });
    expect(await screen.findByText('缺少材料：注册申请表')).toBeInTheDocument();
  });

  it('uploads a document: documentUploadRequest, PUT to the slot url, uploadConfirm with the slot id, then reloads', async () => {
    const slotId = 'VXBsb2FkU2xvdDoy';
    const { api } = renderApp({
      path: '/applications/QXBwOjE=',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        ApplicationDetail: { data: { node: application() } },
        ApplicationPrecheck: PRECHECK,
        DocumentUploadRequest: {
          data: {
            documentUploadRequest: {
              document: { id: 'D2', kind: 'APPLICATION_FORM', status: 'UPLOADING' },
              upload: { id: slotId, url: `${store.origin}/ok/application-form` },
              errors: [],
            },
          },
        },
        UploadConfirm: {
          data: {
            uploadConfirm: {
              upload: {
                id: slotId,
                purpose: 'APPLICATION_DOCUMENT',
                status: 'CONFIRMED',
                refusal: null,
                size: 12,
                sha256: 'cd'.repeat(32),
                mediaType: 'application/pdf',
                pages: 1,
                confirmedAt: '2026-11-29T09:05:00+08:00',
              },
              target: { __typename: 'ApplicationDocument', id: 'D2', documentKind: 'APPLICATION_FORM', documentStatus: 'CONFIRMED', ocrStatus: 'NOT_APPLICABLE' },
              errors: [],
            },
          },
        },
      },
    });
    await screen.findByText('年龄符合要求');
    const input = document.querySelector<HTMLInputElement>('input[type=file][data-testid="upload-APPLICATION_FORM"]');
    if (!input) throw new Error('no uploader for 注册申请表');
    const detailReads = api.names().filter((n) => n === 'ApplicationDetail').length;
    await userEvent.setup().upload(input, new File(['%PDF-1.7 表'], 'form.pdf', { type: 'application/pdf' }));

    expect(await screen.findByText('注册申请表已上传')).toBeInTheDocument();
    expect(store.received.find((put) => put.path === '/ok/application-form')).toMatchObject({ contentType: 'application/pdf', text: '%PDF-1.7 表' });
    expect(api.requests.find((r) => r.operationName === 'DocumentUploadRequest')?.variables).toEqual({
      applicationId: 'QXBwOjE=',
      kind: 'APPLICATION_FORM',
      filename: 'form.pdf',
      size: new Blob(['%PDF-1.7 表']).size,
      contentType: 'application/pdf',
    });
    expect(api.requests.find((r) => r.operationName === 'UploadConfirm')?.variables).toEqual({ id: slotId });
    await waitFor(() => expect(api.names().filter((n) => n === 'ApplicationDetail').length).toBeGreaterThan(detailReads));
  });
});
