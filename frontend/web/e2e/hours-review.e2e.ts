/**
 * The 个人申报审核 journey (prepared by tests/e2e/test_hours_review_journey.py): a
 * provincial reviewer opens /review/hours, sees a registrant's two self-reported hours
 * records with their evidence, approves the first (通过) and returns the second (退回)
 * with a note, after being told that a return needs one.
 *
 * Environment: BASE_URL, REVIEWER, E2E_PASSWORD, PERSON_NAME, ACCEPTED_COURSE,
 * RETURNED_COURSE, RETURN_NOTE.
 */
import { expect, type Locator, type Page, test } from '@playwright/test';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`e2e: environment variable ${name} is not set`);
  return value;
}

const PASSWORD = env('E2E_PASSWORD');
const PERSON = env('PERSON_NAME');
const ACCEPTED = env('ACCEPTED_COURSE');
const RETURNED = env('RETURNED_COURSE');
const NOTE = env('RETURN_NOTE');

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
}

function reportRow(page: Page, course: string): Locator {
  return page.locator('tr', { has: page.getByText(course, { exact: true }) });
}

/** The review drawer of a report, opened from its row; the evidence image has loaded. */
async function openReview(page: Page, course: string): Promise<Locator> {
  await reportRow(page, course).getByRole('button', { name: `审核 ${PERSON} ${course}` }).click();
  const drawer = page.getByRole('dialog', { name: `审核个人申报：${course}` });
  await expect(drawer).toBeVisible();
  await expect(drawer).toContainText(PERSON);
  const image = drawer.getByTestId('evidence-image');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img) => (img as { complete: boolean; naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
  return drawer;
}

test('hours review: one self-report approved, another returned with a note', async ({ page }) => {
  test.setTimeout(120_000);

  await test.step('the reviewer finds both reports in 个人申报审核', async () => {
    await signIn(page, env('REVIEWER'));
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '个人申报审核' }).click();
    await expect(page).toHaveURL(/\/review\/hours$/);
    await expect(reportRow(page, ACCEPTED)).toHaveCount(1);
    await expect(reportRow(page, RETURNED)).toHaveCount(1);
    await expect(reportRow(page, ACCEPTED)).toContainText('专业科目');
    await expect(page.getByText('共 2 条待审核')).toBeVisible();
  });

  await test.step('the reviewer approves the first after looking at its evidence', async () => {
    const drawer = await openReview(page, ACCEPTED);
    await drawer.getByRole('button', { name: '通过' }).click();
    await expect(drawer).toBeHidden();
    await expect(page.getByText('已通过，学时已计入')).toBeVisible();
    await expect(reportRow(page, ACCEPTED)).toHaveCount(0);
  });

  await test.step('the reviewer returns the second, with a note', async () => {
    const drawer = await openReview(page, RETURNED);
    await drawer.getByRole('button', { name: '退回' }).click();
    await expect(drawer.getByText('退回须填写审核意见')).toBeVisible();
    await drawer.getByLabel('审核意见').fill(NOTE);
    await drawer.getByRole('button', { name: '退回' }).click();
    await expect(drawer).toBeHidden();
    await expect(page.getByText('已退回申报')).toBeVisible();
    await expect(reportRow(page, RETURNED)).toHaveCount(0);
    await expect(page.getByText('暂无待审核的个人申报')).toBeVisible();
  });
});
