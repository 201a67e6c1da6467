/**
 * The practice and credit journey (prepared by tests/e2e/test_practice_journey.py): an
 * engineer with an active registration records a 隐患排查 with an evidence file and
 * submits it in 执业记录; the employer admin finds it in 待评价, downloads the evidence,
 * confirms it and evaluates it with 5 in every dimension; the engineer's 信用画像 then
 * shows a higher score (recomputed by the worker) with contributions that trace to that
 * evaluation and record.
 *
 * Environment: BASE_URL, ENGINEER, EMPLOYER_ADMIN, E2E_PASSWORD, PROJECT, START_DATE,
 * END_DATE (YYYY-MM-DD, inside the registration), EVIDENCE_FILE (a PNG).
 */
import { basename } from 'node:path';
import { expect, type Page, test } from '@playwright/test';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`e2e: environment variable ${name} is not set`);
  return value;
}

const PASSWORD = env('E2E_PASSWORD');
const PROJECT = env('PROJECT');
const EVIDENCE = env('EVIDENCE_FILE');
const EVIDENCE_NAME = basename(EVIDENCE);

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

async function pickDate(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label);
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await expect(input).toHaveValue(value);
}

test('practice: record with evidence, employer evaluation, traceable credit', async ({ page }) => {
  test.setTimeout(180_000);
  let before = '';

  await test.step('the engineer has a baseline score in 信用画像', async () => {
    await signIn(page, env('ENGINEER'));
    await openMenu(page, '信用画像');
    await expect(page).toHaveURL(/\/credit$/);
    const value = page.getByTestId('credit-score-value');
    await expect(value).toHaveText(/^\d+$/);
    before = (await value.textContent()) ?? '';
    // the model version in words (信用评分模型第 1 版), never the raw code
    await expect(page.getByTestId('credit-model-version')).toHaveText(/^信用评分模型第 \d+ 版/);
  });

  await test.step('the engineer records a 隐患排查 in 执业记录', async () => {
    await openMenu(page, '执业记录');
    await expect(page).toHaveURL(/\/practice$/);
    await page.getByRole('button', { name: '新建执业记录' }).click();
    const dialog = page.getByRole('dialog', { name: '新建执业记录' });
    await dialog.getByLabel('执业类型').click();
    await page.locator('.ant-select-item-option', { hasText: '隐患排查' }).click();
    await dialog.getByLabel('承担角色').fill('排查组组长');
    await dialog.getByLabel('项目/服务单位').fill(PROJECT);
    await pickDate(page, '开始日期', env('START_DATE'));
    await pickDate(page, '结束日期', env('END_DATE'));
    await dialog.getByLabel('发现隐患（项）').fill('6');
    await dialog.getByLabel('已整改隐患（项）').fill('5');
    await dialog.getByLabel('工作内容').fill('对储罐区、装卸站台开展专项隐患排查，形成排查报告并跟踪整改。');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('…attaches the evidence and submits it', async () => {
    const drawer = page.getByRole('dialog', { name: new RegExp(PROJECT) });
    await expect(drawer.getByTestId('record-status')).toHaveText('草稿');
    await drawer.getByLabel('上传证明材料').setInputFiles(EVIDENCE);
    await expect(drawer.getByRole('link', { name: `下载 ${EVIDENCE_NAME}` })).toBeVisible({ timeout: 20_000 });
    await expect(drawer.getByText('image/png')).toBeVisible();
    await drawer.getByRole('button', { name: '提交确认' }).click();
    await expect(drawer.getByTestId('record-status')).toHaveText('待确认');
    await page.locator('.ant-drawer-close').click();
    await expect(page.locator('.ant-table').getByTestId('record-status')).toHaveText('待确认');
    await signOut(page);
  });

  await test.step('the employer admin finds it in 待评价 and downloads the evidence', async () => {
    await signIn(page, env('EMPLOYER_ADMIN'));
    await openMenu(page, '待评价');
    await expect(page).toHaveURL(/\/employer\/evaluations$/);
    await page.getByRole('button', { name: `评价：${PROJECT}` }).click();
    const drawer = page.getByRole('dialog', { name: new RegExp(PROJECT) });
    const link = drawer.getByRole('link', { name: `下载 ${EVIDENCE_NAME}` });
    await expect(link).toBeVisible();
    const response = await page.request.get((await link.getAttribute('href')) ?? '');
    expect(response.ok()).toBe(true);
    expect((await response.body()).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  await test.step('…confirms it and evaluates it with 5 in every dimension', async () => {
    const drawer = page.getByRole('dialog', { name: new RegExp(PROJECT) });
    await drawer.getByRole('button', { name: '确认记录' }).click();
    await expect(drawer.getByTestId('record-status')).toHaveText('已确认');
    for (const dimension of ['quality', 'timeliness', 'compliance', 'conduct']) {
      await drawer.getByTestId(`rate-${dimension}`).getByRole('radio').nth(4).click();
      await expect(drawer.getByTestId(`rate-${dimension}`).getByRole('radio').nth(4)).toHaveAttribute('aria-checked', 'true');
    }
    await drawer.getByLabel('评语').fill('排查全面，整改跟踪到位。');
    await drawer.getByRole('button', { name: '提交评价' }).click();
    // the confirmation says what cannot be undone
    const confirmation = page.getByRole('dialog', { name: '确认提交评价？' });
    await expect(confirmation).toBeVisible();
    await confirmation.getByRole('button', { name: '确认提交', exact: true }).click();
    await expect(drawer.getByTestId('evaluation-average')).toHaveText('5.00');
    await page.locator('.ant-drawer-close').click();
    await expect(page.getByText('暂无待评价的执业记录')).toBeVisible();
    await signOut(page);
  });

  await test.step('the engineer sees the score changed, traced to the evaluation and the record', async () => {
    await signIn(page, env('ENGINEER'));
    await openMenu(page, '信用画像');
    const value = page.getByTestId('credit-score-value');
    // The worker recomputes after the evaluation: reload until the new score is stored.
    await expect(async () => {
      await page.reload();
      await expect(value).toHaveText(/^\d+$/, { timeout: 2_000 });
      expect(Number(await value.textContent())).toBeGreaterThan(Number(before));
    }).toPass({ timeout: 60_000 });
    const evaluation = page.locator('[data-testid="contribution-row"][data-source-kind="EVALUATION"]');
    await expect(evaluation).toHaveCount(1);
    await expect(evaluation).toContainText(PROJECT);
    await expect(evaluation).toContainText('+200');
    const record = page.locator('[data-testid="contribution-row"][data-source-kind="PRACTICE_RECORD"]');
    await expect(record).toContainText(PROJECT);
    await expect(page.getByRole('img', { name: '评价维度雷达图' })).toBeVisible();
    await expect(page.getByRole('img', { name: '评分构成时间线图' })).toBeVisible();
    await expect(page.locator('.ant-card', { hasText: '信用分变化' }).locator('.ant-table')).toContainText((await value.textContent()) ?? '');
    // The contribution links to the record it came from.
    await evaluation.getByRole('link', { name: new RegExp(PROJECT) }).click();
    await expect(page).toHaveURL(/\/practice\?record=/);
    const drawer = page.getByRole('dialog', { name: new RegExp(PROJECT) });
    await expect(drawer.getByTestId('record-status')).toHaveText('已确认');
    await expect(drawer.getByTestId('evaluation-average')).toHaveText('5.00');
  });
});
