import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import type { RecordedRequest } from '../../test/fakeApi';
import { verification } from './fixtures';

describe('证书查验 (public)', () => {
  it('verifies the number in the address without signing in', async () => {
    const { api } = renderApp({
      path: '/verify/AQ202644HG000001K',
      handlers: { CertificateVerification: { data: { certificateVerification: verification } } },
    });
    expect(await screen.findByTestId('verification-status')).toHaveTextContent('有效');
    expect(screen.getByTestId('check-signature')).toHaveTextContent('通过');
    expect(screen.getByTestId('check-inclusion')).toHaveTextContent('通过');
    expect(screen.getByText(/见证密钥 fedcba9876543210/)).toBeInTheDocument();
    expect(api.requests.find((r) => r.operationName === 'CertificateVerification')?.variables).toEqual({
      number: 'AQ202644HG000001K',
    });
  });

  it('says revoked with the date and reason', async () => {
    renderApp({
      path: '/verify/AQ202644HG000001K',
      handlers: {
        CertificateVerification: {
          data: {
            certificateVerification: {
              ...verification,
              status: 'REVOKED',
              reasons: ['证书已于 2026-11-30 撤销，理由：以欺骗手段取得注册'],
              revokedAt: '2026-11-30T03:00:00+00:00',
              revocationReason: '以欺骗手段取得注册',
            },
          },
        },
      },
    });
    expect(await screen.findByTestId('verification-status')).toHaveTextContent('已撤销');
    expect(screen.getByTestId('revocation')).toHaveTextContent('撤销日期：2026年11月30日');
    expect(screen.getByTestId('revocation')).toHaveTextContent('理由：以欺骗手段取得注册');
  });

  it('sends pasted QR text as qrPayload, unchanged', async () => {
    const seen: RecordedRequest[] = [];
    renderApp({
      path: '/verify',
      handlers: {
        CertificateVerification: (request) => {
          seen.push(request);
          return {
            data: {
              certificateVerification: {
                ...verification,
                status: 'TAMPERED',
                reasons: ['二维码签名无效：内容被篡改或非本平台签发'],
                signatureValid: false,
                inclusionVerified: null,
                number: null,
                treeHead: null,
              },
            },
          };
        },
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('证书编号或二维码内容'), 'RS1:AbCd-_xyz');
    await user.click(screen.getByRole('button', { name: '核验' }));
    expect(await screen.findByTestId('verification-status')).toHaveTextContent('证书内容被篡改或签名无效');
    expect(screen.getByTestId('check-signature')).toHaveTextContent('未通过');
    expect(screen.getByTestId('check-inclusion')).toHaveTextContent('未核验');
    expect(seen[0]?.variables).toEqual({ qrPayload: 'RS1:AbCd-_xyz' });
  });

  it('verifies the qr of the address a phone scan opens (/verify?qr=RS1:…)', async () => {
    const { api } = renderApp({
      path: '/verify?qr=RS1:AbCd-_xyz',
      handlers: { CertificateVerification: { data: { certificateVerification: verification } } },
    });
    expect(await screen.findByTestId('verification-status')).toHaveTextContent('有效');
    expect(api.requests.find((r) => r.operationName === 'CertificateVerification')?.variables).toEqual({
      qrPayload: 'RS1:AbCd-_xyz',
    });
  });

  it('takes a pasted QR link (any host) for the qr it carries', async () => {
    const seen: RecordedRequest[] = [];
    renderApp({
      path: '/verify',
      handlers: {
        CertificateVerification: (request) => {
          seen.push(request);
          return { data: { certificateVerification: verification } };
        },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText('证书编号或二维码内容'));
    await user.paste('https://mirror.example.net/verify?qr=RS1:AbCd-_xyz');
    await user.click(screen.getByRole('button', { name: '核验' }));
    expect(await screen.findByTestId('verification-status')).toHaveTextContent('有效');
    expect(seen[0]?.variables).toEqual({ qrPayload: 'RS1:AbCd-_xyz' });
  });

  it('says an unknown number was not found, without calling it forged', async () => {
    renderApp({
      path: '/verify/AQ202644HG000009X',
      handlers: {
        CertificateVerification: {
          data: {
            certificateVerification: {
              ...verification,
              status: 'UNKNOWN',
              reasons: ['查无此证：AQ202644HG000009X'],
              signatureValid: null,
              inclusionVerified: null,
              number: null,
              treeHead: null,
            },
          },
        },
      },
    });
    expect(await screen.findByTestId('verification-status')).toHaveTextContent('未找到该证书编号');
    const result = screen.getByLabelText('核验结果');
    expect(result).toHaveTextContent(/请核对证书编号/);
    expect(result.textContent).not.toMatch(/假|伪造|篡改/);
  });

  it('explains the jargon of the technical checks', async () => {
    renderApp({
      path: '/verify/AQ202644HG000001K',
      handlers: { CertificateVerification: { data: { certificateVerification: verification } } },
    });
    await screen.findByTestId('verification-status');
    const help = screen.getByRole('note', { name: '术语说明' });
    for (const term of ['存证日志', '签名树头', '根哈希', '离线证明包', '可验证凭证（VC）']) expect(help).toHaveTextContent(term);
    expect(screen.getByRole('img', { name: '术语说明：签名树头' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: '术语说明：根哈希' })).toBeInTheDocument();
  });

  it('keeps the transcript verification route', async () => {
    renderApp({
      path: '/verify/transcript/ABCDEF123456',
      handlers: { TranscriptVerification: { data: { transcriptVerification: { valid: false } } } },
    });
    expect(await screen.findByText('学时证明核验')).toBeInTheDocument();
  });
});
