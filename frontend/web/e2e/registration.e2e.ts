/**
 * The registration journey: a registrant applies with generated document images (real
 * uploads through presigned URLs, real OCR in the worker), OCR fills the form, the
 * provincial reviewer passes the case and the ministry reviewer approves it.
 */
import { expect, type Page, test } from '@playwright/test';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`e2e: environment variable ${name} is not set`);
  return value;
}

const PASSWORD = env('E2E_PASSWORD');
const QUALIFICATION_NUMBER = env('EXPECTED_QUALIFICATION_NUMBER');

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

async function upload(page: Page, kind: string, file: string): Promise<void> {
  const input = page.locator(`input[type=file][data-testid="upload-${kind}"], [data-testid="upload-${kind}"] input[type=file]`);
  await input.first().setInputFiles(file);
}

test('registrant applies, 初审 passes, 终审 approves', async ({ page }) => {
  test.setTimeout(300_000);

  await test.step('the registrant creates a draft', async () => {
    await signIn(page, env('APPLICANT'));
    await openMenu(page, '我的申请');
    await expect(page).toHaveURL(/\/applications$/);
    await page.getByRole('button', { name: '新建申请' }).click();
    const dialog = page.getByRole('dialog', { name: '新建申请' });
    await expect(dialog.getByText('东莞市恒安化工有限公司')).toBeVisible(); // the employer loaded
    await expect(dialog.getByText('化工安全')).toBeVisible(); // the specialty pre-filled
    await dialog.getByRole('button', { name: '创建申请' }).click();
    await expect(page).toHaveURL(/\/applications\/[^/]+$/);
  });

  await test.step('documents upload straight to the object store and OCR reads them', async () => {
    await upload(page, 'ID_CARD', env('DOC_ID_CARD'));
    await upload(page, 'QUALIFICATION_CERTIFICATE', env('DOC_QUALIFICATION'));
    await upload(page, 'APPLICATION_FORM', env('DOC_FORM'));
    await upload(page, 'LABOUR_CONTRACT', env('DOC_CONTRACT'));
    for (const kind of ['ID_CARD', 'QUALIFICATION_CERTIFICATE']) {
      await expect(page.getByTestId(`ocr-status-${kind}`)).toHaveText('已识别', { timeout: 90_000 });
    }
  });

  await test.step('the registrant confirms the OCR fields; OCR filled the form', async () => {
    for (const region of ['身份证（人像面）', '职业资格证书']) {
      const section = page.getByRole('region', { name: region });
      await section.getByRole('button', { name: '确认识别结果' }).click();
      await expect(section.getByText('识别结果已确认')).toBeVisible();
    }
    await expect(page.getByLabel('资格证书编号')).toHaveValue(QUALIFICATION_NUMBER);
    // The generated ID card is not the applicant's: the check says so before submission,
    // and the registrant explains it (a reviewer sees the note as a flag).
    await expect(page.getByText(/上传的身份证.*与申请人不一致/).first()).toBeVisible({ timeout: 20_000 });
    await page.getByLabel('身份证件不一致说明').fill('测试样张：身份证照片为系统生成的样例');
    // Saving bumps the version: submit only once the page has re-read the application.
    const reread = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/graphql' &&
        (response.request().postData() ?? '').includes('query ApplicationDetail'),
    );
    await page.getByRole('button', { name: '保存申请表' }).click();
    await expect(page.getByText('申请表已保存')).toBeVisible();
    await reread;
    await expect(page.getByText('材料与资格审查已通过检查，可以提交')).toBeVisible({ timeout: 20_000 });
  });

  await test.step('submission', async () => {
    await page.getByRole('button', { name: '提交申请' }).click();
    // the confirmation says what cannot be undone
    const confirmation = page.getByRole('dialog', { name: '确认提交注册申请？' });
    await expect(confirmation).toBeVisible();
    await confirmation.getByRole('button', { name: '确认提交', exact: true }).click();
    await expect(page.getByText('申请已提交')).toBeVisible();
    await expect(page.getByTestId('application-status')).toHaveText('已提交');
    await signOut(page);
  });

  await test.step('初审: the provincial reviewer claims and passes it', async () => {
    await signIn(page, env('PROVINCE_REVIEWER'));
    await openMenu(page, '初审工作台');
    await page.getByRole('link', { name: '林晓' }).click();
    await expect(page.getByTestId('applicant-id-number')).toContainText('*');
    await page.getByRole('button', { name: '领取' }).click();
    await expect(page.getByTestId('applicant-id-number')).not.toContainText('*');
    await page.getByRole('button', { name: '初审通过' }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await expect(page.getByTestId('application-status')).toHaveText('终审中');
    await signOut(page);
  });

  await test.step('终审: the ministry reviewer claims and approves it', async () => {
    await signIn(page, env('MINISTRY_REVIEWER'));
    await openMenu(page, '终审工作台');
    await page.getByRole('link', { name: '林晓' }).click();
    await page.getByRole('button', { name: '领取' }).click();
    await page.getByRole('button', { name: '准予注册' }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await expect(page.getByTestId('application-status')).toHaveText('准予注册');
  });
});
