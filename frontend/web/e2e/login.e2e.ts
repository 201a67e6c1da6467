/**
 * A registrant signs in through the real UI, opens 我的信息 and sees their ID number
 * masked; the full number appears nowhere in the page (nor in any /graphql response).
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`e2e: environment variable ${name} is not set`);
  return value;
}

const USERNAME = env('DEMO_USERNAME');
const PASSWORD = env('DEMO_PASSWORD');
const MASKED_ID = env('EXPECTED_MASKED_ID');
const FULL_ID = process.env.FULL_ID ?? '';
const SCREENSHOT = fileURLToPath(new URL('./artifacts/profile.png', import.meta.url));

/** An unmasked resident ID number: 17 digits and a check character. */
const UNMASKED_ID = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;

test('registrant signs in and sees the masked ID number on 我的信息', async ({ page }) => {
  const apiBodies: Promise<string>[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/graphql') {
      apiBodies.push(response.text().catch(() => ''));
    }
  });

  await test.step('an anonymous visitor is sent to the login page', async () => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { name: '注册安全工程师管理平台' })).toBeVisible();
  });

  await test.step('a wrong password is refused in Chinese', async () => {
    await page.getByLabel('用户名').fill(USERNAME);
    await page.getByLabel('密码', { exact: true }).fill(`${PASSWORD}-wrong`);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.getByText('用户名或密码错误')).toBeVisible();
    await expect(page).toHaveURL(/\/login$/);
  });

  await test.step('the right password signs in', async () => {
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
  });

  await test.step('我的信息 shows the masked ID number', async () => {
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '我的信息' }).click();
    await expect(page).toHaveURL(/\/me\/profile$/);
    await expect(page.getByRole('heading', { name: '我的信息' })).toBeVisible();
    await expect(page.getByText(MASKED_ID, { exact: true })).toBeVisible();
  });

  await test.step('the full ID number is nowhere in the page', async () => {
    const text = await page.locator('body').innerText();
    const html = await page.content();
    // Messages name no number: a failure must not print personal data.
    expect(UNMASKED_ID.test(text), 'an unmasked ID number is visible in the page').toBe(false);
    if (FULL_ID) {
      expect(html.includes(FULL_ID), 'the full ID number is in the page').toBe(false);
      const bodies = await Promise.all(apiBodies);
      expect(
        bodies.some((body) => body.includes(FULL_ID)),
        'the full ID number was sent to the browser by /graphql',
      ).toBe(false);
    }
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  await test.step('退出登录 returns to the login page', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto('/me/profile');
    await expect(page).toHaveURL(/\/login$/);
  });
});
