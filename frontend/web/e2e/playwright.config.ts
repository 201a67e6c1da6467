/**
 * Browser test of the SPA served by the running backend (`npm run e2e`).
 *
 * Drives Debian's Chromium (never a downloaded browser build). Environment:
 *   BASE_URL            the backend serving the built SPA, e.g. http://127.0.0.1:8000
 * login.e2e.ts:
 *   DEMO_USERNAME       a registrant's login
 *   DEMO_PASSWORD       …and password
 *   EXPECTED_MASKED_ID  the masked ID number 我的信息 must show, e.g. 440305********135X
 *   FULL_ID             optional: the full ID number, asserted absent from page and API
 * registration.e2e.ts: APPLICANT, PROVINCE_REVIEWER, MINISTRY_REVIEWER, E2E_PASSWORD,
 *   DOC_ID_CARD, DOC_QUALIFICATION, DOC_FORM, DOC_CONTRACT (image files),
 *   EXPECTED_QUALIFICATION_NUMBER (what OCR must read from DOC_QUALIFICATION)
 * education.e2e.ts: LEARNER, E2E_PASSWORD, COURSE_TITLE, COURSE_HOURS, EXAM_ANSWERS (JSON:
 *   题干 → option texts); the server runs with short heartbeat bounds and a worker
 * certificates.e2e.ts: HOLDER, EMPLOYER_ADMIN, MINISTRY_REVIEWER, E2E_PASSWORD,
 *   CERTIFICATE_NUMBER, REVOKE_REASON
 * practice.e2e.ts: ENGINEER, EMPLOYER_ADMIN, E2E_PASSWORD, PROJECT, START_DATE, END_DATE
 *   (YYYY-MM-DD inside the engineer's registration), EVIDENCE_FILE (a PNG); the server
 *   runs with a worker (the credit score is recomputed by a job)
 * employer.e2e.ts: EMPLOYER_ADMIN, NEWCOMER, E2E_PASSWORD, ENGINEER_NAME, NEWCOMER_NAME,
 *   NEWCOMER_ID_NUMBER (the second person's full ID number)
 * hours-review.e2e.ts: REVIEWER, E2E_PASSWORD, PERSON_NAME, ACCEPTED_COURSE,
 *   RETURNED_COURSE, RETURN_NOTE
 * Each spec checks its own variables; run one with `npm run e2e -- <name>`.
 *   CHROMIUM_PATH       default /usr/bin/chromium
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  console.error(
    `e2e: ${chromiumPath} not found: install the Debian package chromium ` +
      '(apt-get install -y chromium fonts-noto-cjk) or set CHROMIUM_PATH. ' +
      'Do not run `npx playwright install`.',
  );
  process.exit(1);
}

if (!process.env.BASE_URL) {
  console.error('e2e: set BASE_URL (see frontend/web/README.md)');
  process.exit(1);
}

export default defineConfig({
  testDir: fileURLToPath(new URL('.', import.meta.url)),
  testMatch: /.*\.e2e\.ts$/,
  outputDir: fileURLToPath(new URL('./artifacts/test-results', import.meta.url)),
  reporter: [['list']],
  forbidOnly: !!process.env.CI,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: process.env.BASE_URL,
    browserName: 'chromium',
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
