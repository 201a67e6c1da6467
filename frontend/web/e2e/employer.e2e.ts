/**
 * The employer admin's 本单位人员 journey (prepared by tests/e2e/test_employer_journey.py):
 * the admin signs in and lands on 本单位人员, sees the seeded engineer with registration,
 * hours and credit grade; sends a 聘用邀请 to a second person by ID number; that person
 * accepts it (over the API: the SPA has no 我的聘用邀请 page yet) and appears in the list;
 * the admin exports the list as CSV (BOM, masked ID numbers) and ends the engineer's
 * employment after the confirmation.
 *
 * Environment: BASE_URL, EMPLOYER_ADMIN, NEWCOMER, E2E_PASSWORD, ENGINEER_NAME,
 * NEWCOMER_NAME, NEWCOMER_ID_NUMBER (full, 18 characters).
 */
import { readFile } from 'node:fs/promises';
import { expect, type APIRequestContext, type Locator, type Page, test } from '@playwright/test';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`e2e: environment variable ${name} is not set`);
  return value;
}

const PASSWORD = env('E2E_PASSWORD');
const ENGINEER = env('ENGINEER_NAME');
const NEWCOMER = env('NEWCOMER_NAME');
const NEWCOMER_ID_NUMBER = env('NEWCOMER_ID_NUMBER');

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
}

function staffRow(page: Page, name: string): Locator {
  return page.locator('tr', { has: page.getByText(name, { exact: true }) });
}

async function gql(
  request: APIRequestContext,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<Record<string, unknown>> {
  const response = await request.post('/graphql', {
    data: { query, variables },
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  expect(body.errors ?? []).toEqual([]);
  return body.data ?? {};
}

/** The invited person accepts their pending invitation (as the mini-program would). */
async function acceptInvitation(request: APIRequestContext, username: string): Promise<void> {
  const signedIn = await gql(
    request,
    'mutation($u: String!, $p: String!) { tokenCreate(username: $u, password: $p) { token { accessToken } errors { code } } }',
    { u: username, p: PASSWORD },
  );
  const token = (signedIn.tokenCreate as { token: { accessToken: string } | null }).token?.accessToken;
  expect(token).toBeTruthy();
  const mine = await gql(
    request,
    'query { myEmploymentInvitations(status: PENDING) { edges { node { id } } } }',
    {},
    token,
  );
  const edges = (mine.myEmploymentInvitations as { edges: { node: { id: string } }[] }).edges;
  expect(edges).toHaveLength(1);
  const accepted = await gql(
    request,
    'mutation($id: ID!) { employmentInvitationAccept(id: $id) { invitation { status } errors { code message } } }',
    { id: edges[0]?.node.id },
    token,
  );
  expect(accepted.employmentInvitationAccept).toEqual({ invitation: { status: 'ACCEPTED' }, errors: [] });
}

test('employer: staff statuses, 聘用邀请 by ID number, 结束聘用', async ({ page }) => {
  test.setTimeout(120_000);

  await test.step('the admin opens 本单位人员 from 工作台 and sees the engineer at a glance', async () => {
    await signIn(page, env('EMPLOYER_ADMIN'));
    await expect(page.getByRole('heading', { name: '工作台' })).toBeVisible();
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '本单位人员' }).click();
    await expect(page).toHaveURL(/\/employer\/staff$/);
    await expect(page.getByRole('heading', { name: '本单位人员' })).toBeVisible();
    const row = staffRow(page, ENGINEER);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(/440604\*{8}\d{3}[\dX]/);
    await expect(row.getByTestId('registration-status')).toContainText('注册有效');
    await expect(row.getByTestId('certificate-status')).toContainText('无有效证书');
    await expect(row.getByTestId('hours-status')).toContainText(/差 [\d.]+ 学时/);
    await expect(row.getByTestId('hours-status')).toContainText(/0\/[\d.]+ 学时/);
    await expect(row.getByTestId('credit-grade')).toContainText(/[ABCD] 级/);
    // never an enum code, never the full ID number
    await expect(row).not.toContainText(/ACTIVE|ON_TRACK|AT_RISK|NO_PROGRESS|CHEMICAL/);
    await expect(page.getByTestId('staff-total')).toContainText('共 1 人');
  });

  await test.step('the admin sends a 聘用邀请 by ID number', async () => {
    await page.getByRole('button', { name: '发出聘用邀请' }).click();
    const dialog = page.getByRole('dialog', { name: '发出聘用邀请' });
    await dialog.getByLabel('身份证号码').fill(NEWCOMER_ID_NUMBER.slice(0, 17));
    await dialog.getByRole('button', { name: '发出邀请' }).click();
    await expect(dialog.getByText('身份证号码应为18位（最后一位可为X）')).toBeVisible();
    await dialog.getByLabel('身份证号码').fill(NEWCOMER_ID_NUMBER);
    await dialog.getByRole('button', { name: '发出邀请' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText('聘用邀请已发出，本人确认后将列入本单位人员')).toBeVisible();
    const invitations = page.locator('.ant-card', { hasText: '已发出的聘用邀请' });
    await expect(invitations.locator('tbody tr.ant-table-row')).toHaveCount(1);
    await expect(invitations.locator('tbody tr.ant-table-row .ant-tag')).toHaveText(/^待/);
    // the employer learns nothing about the person before they answer
    await expect(page.getByText(NEWCOMER, { exact: true })).toHaveCount(0);
  });

  await test.step('once the person accepts, they are listed', async () => {
    await acceptInvitation(page.request, env('NEWCOMER'));
    await page.reload();
    await expect(staffRow(page, NEWCOMER)).toHaveCount(1);
    await expect(staffRow(page, NEWCOMER).getByTestId('registration-status')).toContainText('无有效注册');
    await expect(page.getByTestId('staff-total')).toContainText('共 2 人');
  });

  await test.step('the admin exports the list as CSV for Excel', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^本单位人员_\d{8}\.csv$/);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toMatch(/^姓名,身份证号,注册状态,/);
    expect(lines.filter((l) => l.startsWith(`${ENGINEER},`))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith(`${ENGINEER},`))).toMatch(/^[^,]+,440604\*{8}\d{3}[\dX],注册有效,/);
    expect(lines.filter((l) => l.startsWith(`${NEWCOMER},`))).toHaveLength(1);
    expect(bytes.toString('utf8')).not.toContain(NEWCOMER_ID_NUMBER);
  });

  await test.step('the admin ends the engineer’s employment after the confirmation', async () => {
    await staffRow(page, ENGINEER).getByRole('button', { name: `结束聘用 ${ENGINEER}` }).click();
    const dialog = page.getByRole('dialog', { name: `结束聘用：${ENGINEER}` });
    await expect(dialog.getByText('此操作不能撤销')).toBeVisible();
    await expect(dialog).toContainText('将立即移出本单位人员');
    await dialog.getByRole('button', { name: '确认结束聘用' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(`已结束与${ENGINEER}的聘用关系`)).toBeVisible();
    await expect(staffRow(page, ENGINEER)).toHaveCount(0);
    await expect(staffRow(page, NEWCOMER)).toHaveCount(1);
    await expect(page.getByTestId('staff-total')).toContainText('共 1 人');
  });
});
