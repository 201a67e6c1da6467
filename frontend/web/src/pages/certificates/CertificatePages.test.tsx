import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import type { RecordedRequest } from '../../test/fakeApi';
import { certificate } from './fixtures';
import { PDF_POLLING } from './MyCertificatesPage';

const mine = {
  ...certificate,
  qrText: 'RS1:AbCdEf',
  qrVersion: 22,
  qrSvg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0h1v1H0z"/></svg>',
  pdfReady: false,
  pdfStatus: 'PENDING',
  pdfUrl: null,
  pdfSha256: null,
  verifiableCredential: '{"type":["VerifiableCredential"]}',
  previous: null,
  history: [certificate],
};

describe('我的证书: the PDF job', () => {
  const interval = PDF_POLLING.intervalMs;
  beforeEach(() => {
    PDF_POLLING.intervalMs = 40;
  });
  afterEach(() => {
    PDF_POLLING.intervalMs = interval;
  });

  const pdfUrl = 'https://s3.example/cert.pdf';
  const pdfRow = (pdfStatus: string) => ({ id: mine.id, pdfStatus, pdfReady: pdfStatus === 'READY', pdfUrl: pdfStatus === 'READY' ? pdfUrl : null });

  it('polls while 生成中 and offers the download once ready', async () => {
    const answers = ['PENDING', 'READY'];
    const { api } = renderApp({
      path: '/certificates',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        MyCertificates: { data: { myCertificates: [mine] } },
        MyCertificatePdf: () => ({ data: { myCertificates: [pdfRow(answers.shift() ?? 'READY')] } }),
      },
    });
    expect(await screen.findByRole('button', { name: /证书PDF生成中/ })).toBeDisabled();
    expect(await screen.findByRole('link', { name: /下载证书PDF/ })).toHaveAttribute('href', pdfUrl);
    const polls = () => api.requests.filter((r) => r.operationName === 'MyCertificatePdf').length;
    expect(polls()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(polls()).toBe(2); // stopped once ready
  });

  it('says when it failed, stops polling, and 重试 queues it again', async () => {
    let retried = false;
    const { api } = renderApp({
      path: '/certificates',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        MyCertificates: { data: { myCertificates: [mine] } },
        MyCertificatePdf: () => ({ data: { myCertificates: [pdfRow(retried ? 'READY' : 'FAILED')] } }),
        CertificatePdfRetry: () => {
          retried = true;
          return { data: { certificatePdfRetry: { certificate: pdfRow('PENDING'), errors: [] } } };
        },
      },
    });
    expect(await screen.findByText('证书PDF生成失败')).toBeInTheDocument();
    const polls = () => api.requests.filter((r) => r.operationName === 'MyCertificatePdf').length;
    const seen = polls();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(polls()).toBe(seen); // no polling while failed
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /重试/ }));
    expect(api.requests.find((r) => r.operationName === 'CertificatePdfRetry')?.variables).toEqual({ id: mine.id });
    expect(await screen.findByRole('link', { name: /下载证书PDF/ })).toHaveAttribute('href', pdfUrl);
  });

  it('stops polling when the page is left', async () => {
    const { api, router } = renderApp({
      path: '/certificates',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        MyCertificates: { data: { myCertificates: [mine] } },
        MyCertificatePdf: () => ({ data: { myCertificates: [pdfRow('PENDING')] } }),
      },
    });
    await screen.findByRole('button', { name: /证书PDF生成中/ });
    await waitFor(() => expect(api.requests.some((r) => r.operationName === 'MyCertificatePdf')).toBe(true));
    await act(() => router.navigate('/verify'));
    await screen.findByText('证书查验');
    const polls = () => api.requests.filter((r) => r.operationName === 'MyCertificatePdf').length;
    const count = polls();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(polls()).toBe(count);
  });
});

describe('我的证书', () => {
  it('shows the current certificate, its QR and history', async () => {
    renderApp({
      path: '/certificates',
      tokens: tokenPair(),
      handlers: { Viewer: { data: viewerData(['REGISTRANT']) }, MyCertificates: { data: { myCertificates: [mine] } } },
    });
    expect(await screen.findByTestId('certificate-number')).toHaveTextContent(certificate.number);
    expect(screen.getByTestId('certificate-status')).toHaveTextContent('有效');
    expect(screen.getByRole('img', { name: `证书二维码：${certificate.number}` }).querySelector('svg')).not.toBeNull();
    expect(screen.getByTestId('certificate-qr-text')).toHaveAttribute('data-qr-text', 'RS1:AbCdEf');
    expect(screen.getByRole('button', { name: /证书PDF生成中/ })).toBeDisabled();
    expect(screen.getByRole('button', { name: /下载可验证凭证/ })).toBeInTheDocument();
    expect(within(screen.getByLabelText('证书历史')).getByText(certificate.number)).toBeInTheDocument();
  });

  it('renders the API QR whole and crisp, and 放大 shows it at ≥ 4 px per module', async () => {
    // What segno sends: width/height, no viewBox, a path in module units under scale(4).
    const segno =
      '<svg xmlns="http://www.w3.org/2000/svg" width="452" height="452" class="segno">' +
      '<path transform="scale(4)" class="qrline" stroke="#000" d="M4 4.5h7"/></svg>';
    renderApp({
      path: '/certificates',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['REGISTRANT']) },
        MyCertificates: { data: { myCertificates: [{ ...mine, qrSvg: segno, qrVersion: 22 }] } },
      },
    });
    const inline = (await screen.findByTestId('certificate-qr')).querySelector('svg');
    expect(inline).not.toBeNull();
    expect(inline?.getAttribute('viewBox')).toBe('0 0 452 452');
    expect(inline?.getAttribute('width')).toBe(inline?.getAttribute('height'));
    expect(inline?.getAttribute('shape-rendering')).toBe('crispEdges');
    expect(Number(inline?.getAttribute('width')) % 113).toBe(0);

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /放大/ }));
    const full = (await screen.findByTestId('certificate-qr-full')).querySelector('svg');
    expect(full?.getAttribute('viewBox')).toBe('0 0 452 452');
    const size = Number(full?.getAttribute('width'));
    expect(size / 113).toBeGreaterThanOrEqual(4);
    expect(size % 113).toBe(0);
    expect(full?.getAttribute('style')).toContain('image-rendering:pixelated');
  });

  it('explains 存证日志, 离线证明包 and VC', async () => {
    renderApp({
      path: '/certificates',
      tokens: tokenPair(),
      handlers: { Viewer: { data: viewerData(['REGISTRANT']) }, MyCertificates: { data: { myCertificates: [mine] } } },
    });
    await screen.findByTestId('certificate-number');
    expect(screen.getAllByRole('img', { name: '术语说明：存证日志' }).length).toBeGreaterThan(0);
    expect(screen.getByRole('img', { name: '术语说明：离线证明包' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: '术语说明：VC' })).toBeInTheDocument();
  });

  it('says when there is no certificate yet', async () => {
    renderApp({
      path: '/certificates',
      tokens: tokenPair(),
      handlers: { Viewer: { data: viewerData(['REGISTRANT']) }, MyCertificates: { data: { myCertificates: [] } } },
    });
    expect(await screen.findByText(/暂无注册证书/)).toBeInTheDocument();
  });
});

describe('本单位人员证书', () => {
  it('lists the staff certificates and filters by status', async () => {
    const seen: RecordedRequest[] = [];
    renderApp({
      path: '/employer/certificates',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['EMPLOYER_ADMIN']) },
        EmployerCertificates: (request) => {
          seen.push(request);
          return {
            data: {
              employerCertificates: {
                totalCount: 1,
                pageInfo: { hasNextPage: false, endCursor: null },
                edges: [{ node: { ...certificate, pdfReady: false, pdfUrl: null } }],
              },
            },
          };
        },
      },
    });
    expect(await screen.findByText(certificate.number)).toBeInTheDocument();
    expect(screen.getByText('共 1 本')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('证书状态'));
    await user.click(await screen.findByTitle('已撤销'));
    await waitFor(() => expect(seen.some((r) => r.variables['status'] === 'REVOKED')).toBe(true));
  });
});

describe('证书管理', () => {
  it('revokes with a reason and shows payload errors', async () => {
    const revokes: RecordedRequest[] = [];
    renderApp({
      path: `/review/certificates?number=${certificate.number}`,
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['MINISTRY_REVIEWER']) },
        CertificateByNumber: { data: { certificate: { ...certificate, previous: null } } },
        CertificateRevoke: (request) => {
          revokes.push(request);
          return {
            data: {
              certificateRevoke: {
                certificate: null,
                errors: [{ field: 'id', code: 'NOT_ACTIVE', message: '只能撤销有效状态的证书' }],
              },
            },
          };
        },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /撤销证书/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /确认撤销/ }));
    expect(await within(dialog).findByText('请填写撤销理由')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('撤销理由'), '以欺骗手段取得注册');
    await user.click(within(dialog).getByRole('button', { name: /确认撤销/ }));
    expect(await within(dialog).findByText('只能撤销有效状态的证书')).toBeInTheDocument();
    expect(revokes[0]?.variables).toEqual({ id: certificate.id, reason: '以欺骗手段取得注册' });
  });
});
