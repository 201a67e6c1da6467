/**
 * The certificates journey: an approved application's certificate (prepared by
 * tests/e2e/test_certificates_journey.py) is shown to its holder with the QR code and to
 * the employer admin; the public page verifies it without signing in; a ministry
 * reviewer revokes it; the public page then says revoked with the date and reason; a QR
 * text with one character changed is rejected.
 *
 * Environment: BASE_URL, HOLDER, EMPLOYER_ADMIN, MINISTRY_REVIEWER, E2E_PASSWORD,
 * CERTIFICATE_NUMBER, REVOKE_REASON.
 */
import { readFileSync } from 'node:fs';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`e2e: environment variable ${name} is not set`);
  return value;
}

const PASSWORD = env('E2E_PASSWORD');
const NUMBER = env('CERTIFICATE_NUMBER');
const REASON = env('REVOKE_REASON');

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login$/);
}

async function openMenu(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: label }).click();
}

/** A browser context of its own: no tokens, as any member of the public. */
async function publicContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: env('BASE_URL'),
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

/** One character of the base64url part changed (still decodable, so the signature fails). */
function tamper(qrText: string): string {
  const at = Math.floor(qrText.length / 2);
  const replacement = qrText[at] === 'A' ? 'B' : 'A';
  return qrText.slice(0, at) + replacement + qrText.slice(at + 1);
}

test('certificate: holder, public verification, revocation, tampering', async ({ page, browser }) => {
  test.setTimeout(180_000);
  let qrText = '';

  await test.step('the holder sees the certificate with its QR in 我的证书', async () => {
    await signIn(page, env('HOLDER'));
    await openMenu(page, '我的证书');
    await expect(page).toHaveURL(/\/certificates$/);
    await expect(page.getByTestId('certificate-number')).toHaveText(NUMBER);
    await expect(page.getByTestId('certificate-status')).toHaveText('有效');
    const qr = page.getByRole('img', { name: `证书二维码：${NUMBER}` });
    await expect(qr.locator('svg')).toBeVisible();
    qrText = (await page.getByTestId('certificate-qr-text').getAttribute('data-qr-text')) ?? '';
    expect(qrText).toMatch(/^RS1:[A-Za-z0-9_-]{100,}$/);
    await expect(page.getByLabel('证书历史')).toContainText(NUMBER);
  });

  await test.step('the holder downloads the proof bundle and the PDF the worker rendered', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载离线证明包/ }).click(),
    ]);
    const path = await download.path();
    const bundle = JSON.parse(readFileSync(path, 'utf-8')) as { payload: string; inclusion_proof: unknown[]; tree_head: unknown };
    expect(JSON.parse(bundle.payload)).toMatchObject({ number: NUMBER });
    expect(bundle.tree_head).toBeTruthy();
    // The PDF is rendered by a job: reload until the page offers it.
    const pdf = page.getByRole('link', { name: /下载证书PDF/ });
    await expect(async () => {
      await page.reload();
      await expect(pdf).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    const response = await page.request.get((await pdf.getAttribute('href')) ?? '');
    expect(response.ok()).toBe(true);
    expect((await response.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await signOut(page);
  });

  await test.step('the employer admin sees it among the staff certificates', async () => {
    await signIn(page, env('EMPLOYER_ADMIN'));
    await openMenu(page, '人员证书');
    await expect(page.getByRole('link', { name: NUMBER })).toBeVisible();
    await signOut(page);
  });

  await test.step('the public page verifies it without signing in', async () => {
    const context = await publicContext(browser);
    const visitor = await context.newPage();
    await visitor.goto(`/verify/${NUMBER}`);
    await expect(visitor.getByTestId('verification-status')).toHaveText('有效');
    await expect(visitor.getByTestId('check-signature')).toHaveText('通过');
    await expect(visitor.getByTestId('check-inclusion')).toHaveText('通过');
    await expect(visitor.getByTestId('verified-number')).toHaveText(NUMBER);
    await expect(visitor.getByTestId('current-employer')).toHaveText('佛山市安泰化工有限公司');
    await expect(visitor.getByText(/见证密钥/)).toBeVisible();
    await context.close();
  });

  await test.step('a ministry reviewer revokes it with a reason in 证书管理', async () => {
    await signIn(page, env('MINISTRY_REVIEWER'));
    await openMenu(page, '证书管理');
    await page.getByLabel('证书编号').fill(NUMBER);
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.getByTestId('admin-certificate-status')).toHaveText('有效');
    await page.getByRole('button', { name: /撤销证书/ }).click();
    const dialog = page.getByRole('dialog', { name: `撤销证书 ${NUMBER}` });
    const reason = dialog.getByLabel('撤销理由');
    // Under load the form may register its field after the first keystrokes: type
    // until the value holds, then confirm and wait for the dialog to close (the success
    // toast is too short-lived to assert on).
    await expect(async () => {
      await reason.fill(REASON);
      await expect(reason).toHaveValue(REASON, { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await dialog.getByRole('button', { name: /确认撤销/ }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });
    await expect(page.getByTestId('admin-certificate-status')).toHaveText('已撤销');
    await expect(page.getByTestId('admin-end-reason')).toContainText(REASON);
    await signOut(page);
  });

  await test.step('the public page now says revoked, with the date and reason', async () => {
    const context = await publicContext(browser);
    const visitor = await context.newPage();
    await visitor.goto(`/verify/${NUMBER}`);
    await expect(visitor.getByTestId('verification-status')).toHaveText('已撤销');
    const revocation = visitor.getByTestId('revocation');
    await expect(revocation).toContainText(/撤销日期：\d{4}年\d{1,2}月\d{1,2}日/);
    await expect(revocation).toContainText(`理由：${REASON}`);
    await expect(visitor.getByTestId('check-signature')).toHaveText('通过');

    await test.step('a QR text with one character changed is rejected', async () => {
      const forged = tamper(qrText);
      expect(forged).not.toBe(qrText);
      await visitor.getByLabel('证书编号或二维码内容').fill(forged);
      await visitor.getByRole('button', { name: '核验', exact: true }).click();
      await expect(visitor).toHaveURL(/\/verify\?qr=/);
      await expect(visitor.getByTestId('verification-status')).toHaveText('证书内容被篡改或签名无效');
      await expect(visitor.getByTestId('check-signature')).toHaveText('未通过');
    });
    await context.close();
  });
});
