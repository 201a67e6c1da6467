/**
 * The continuing-education journey: a registrant finds a course in 课程目录, enrols,
 * learns both units (real heartbeats; the server runs with short heartbeat bounds) until
 * the progress reaches 100%, passes the exam, and sees the hours and the updated
 * requirement in 我的学时.
 *
 * Environment (set by tests/e2e/test_education_journey.py): BASE_URL, LEARNER,
 * E2E_PASSWORD, COURSE_TITLE, COURSE_HOURS, EXAM_ANSWERS (JSON: 题干 → option texts).
 */
import { expect, type Locator, type Page, test } from '@playwright/test';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`e2e: environment variable ${name} is not set`);
  return value;
}

const PASSWORD = env('E2E_PASSWORD');
const COURSE_TITLE = env('COURSE_TITLE');
const COURSE_HOURS = Number(env('COURSE_HOURS'));
const EXAM_ANSWERS = JSON.parse(env('EXAM_ANSWERS')) as Record<string, string[]>;

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
}

async function openMenu(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: label }).click();
}

/** "3/48" of the progress ring → [3, 48]. */
async function ringNumbers(page: Page): Promise<[number, number]> {
  const ring = page.getByTestId('hours-ring');
  await expect(ring).toHaveText(/^\d+(\.\d)?\/\d+(\.\d)?$/);
  const [counted, required] = ((await ring.textContent()) ?? '').split('/').map(Number);
  return [counted, required];
}

function questionCard(page: Page, stem: string): Locator {
  return page.locator('.ant-card').filter({ has: page.getByText(stem, { exact: true }) });
}

test('registrant completes a course, passes its exam and sees the hours', async ({ page, browser }) => {
  test.setTimeout(180_000);
  let countedBefore = 0;
  let required = 0;

  await test.step('我的学时 shows the cycle before the course', async () => {
    await signIn(page, env('LEARNER'));
    await openMenu(page, '我的学时');
    await expect(page).toHaveURL(/\/hours$/);
    await expect(page.getByTestId('cycle-description')).toContainText('统计期间');
    [countedBefore, required] = await ringNumbers(page);
    expect(required).toBeGreaterThan(0);
    await expect(page.getByRole('row', { name: new RegExp(COURSE_TITLE) })).toHaveCount(0);
  });

  await test.step('the course is in 课程目录 and the registrant enrols', async () => {
    await openMenu(page, '课程目录');
    await expect(page).toHaveURL(/\/courses$/);
    const row = page.getByRole('row', { name: new RegExp(COURSE_TITLE) });
    await expect(row).toBeVisible();
    await expect(row).toContainText('公需科目');
    await row.getByRole('button', { name: `报名 ${COURSE_TITLE}` }).click();
    await expect(page).toHaveURL(/\/learning\/[^/]+$/);
    await expect(page.getByRole('heading', { name: COURSE_TITLE })).toBeVisible();
    await expect(page.getByTestId('overall-percent')).toHaveText('0%');
  });

  await test.step('both units are learnt by heartbeats until the progress reaches 100%', async () => {
    await page.getByRole('button', { name: /开始学习/ }).click();
    // Unit 1 completes on the server's clock, then the player moves to unit 2 by itself.
    await expect(page.getByTestId('unit-1-covered')).toHaveText('00:04 / 00:04', { timeout: 30_000 });
    await expect(page.getByTestId('unit-2')).toHaveAttribute('aria-current', 'step');
    await expect(page.getByTestId('overall-percent')).toHaveText('100%', { timeout: 30_000 });
    await expect(page.getByTestId('unit-2-covered')).toHaveText('00:04 / 00:04');
  });

  await test.step('the exam is answered and handed in', async () => {
    await page.getByRole('button', { name: '参加考试' }).click();
    await expect(page).toHaveURL(/\/exams\/[^/?]+/);
    await expect(page.getByText('剩余时间')).toBeVisible();
    const stems = Object.keys(EXAM_ANSWERS);
    for (const stem of stems) {
      const card = questionCard(page, stem);
      await expect(card).toBeVisible();
      const multiple = (await card.getByRole('checkbox').count()) > 0;
      for (const option of EXAM_ANSWERS[stem]) {
        await card.getByRole(multiple ? 'checkbox' : 'radio', { name: option }).check();
      }
    }
    await expect(page.getByText(`已答 ${stems.length} / ${stems.length} 题`)).toBeVisible();
    await expect(page.getByRole('status')).toHaveText('答案已自动保存');
    await page.getByRole('button', { name: '交卷' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确定交卷' }).click();
    await expect(page.getByText('考试通过')).toBeVisible();
    await expect(page.getByTestId('exam-score')).toContainText(`得分 ${stems.length} / ${stems.length}`);
    await expect(page.getByText('正确答案：', { exact: false })).toHaveCount(stems.length);
  });

  await test.step('我的学时 lists the course and the requirement counts its hours', async () => {
    await page.getByRole('button', { name: '查看我的学时' }).click();
    await expect(page).toHaveURL(/\/hours$/);
    const row = page.getByRole('row', { name: new RegExp(COURSE_TITLE) });
    await expect(row).toBeVisible();
    await expect(row).toContainText('平台课程');
    await expect(row).toContainText('已认定');
    // the rule version as a sentence, never the raw code
    await expect(row).toContainText('按平台课程学时认定规则（第 1 版）认定');
    await expect(row).not.toContainText('hours-v1');
    await expect(row.getByRole('cell', { name: String(COURSE_HOURS), exact: true })).toBeVisible();
    await expect(page.getByTestId('hours-ring')).toHaveText(`${countedBefore + COURSE_HOURS}/${required}`);
  });

  let code = '';
  await test.step('学时证明 is rendered by the worker', async () => {
    await page.getByRole('button', { name: '申请学时证明' }).click();
    const row = page.getByRole('row').filter({ hasText: /生成中|已生成/ }).first();
    await expect(row).toContainText('已生成', { timeout: 60_000 });
    await expect(row.getByRole('link', { name: '下载 PDF' })).toBeVisible();
    code = ((await row.getByRole('cell').nth(3).textContent()) ?? '').trim();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
  });

  await test.step('anyone can verify the transcript by its code, without signing in', async () => {
    // a fresh context: no session, no stored tokens
    const context = await browser.newContext({ baseURL: env('BASE_URL') });
    const visitor = await context.newPage();
    await visitor.goto(`/verify/transcript/${code.toLowerCase()}`);
    await expect(visitor.getByText('本平台出具的学时证明')).toBeVisible();
    await expect(visitor.getByText(/统计期间/).first()).toBeVisible();
    await expect(visitor.getByText(String(COURSE_HOURS), { exact: true }).first()).toBeVisible();
    await visitor.goto('/verify/transcript/ZZZZZZZZZZZZ');
    await expect(visitor.getByText('未找到该学时证明')).toBeVisible();
    await context.close();
  });

  await test.step('我的课程 shows the course as 已结业', async () => {
    await openMenu(page, '我的课程');
    const row = page.getByRole('row', { name: new RegExp(COURSE_TITLE) });
    await expect(row).toContainText('已结业');
    await expect(row).toContainText('100%');
  });
});
