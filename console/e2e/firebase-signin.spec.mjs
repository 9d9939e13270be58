import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { startDevServer, tail } from '../../api/tools/dev-server.mjs';
import { randomPhone, until } from './support/api.mjs';
import { PROJECT_ID, smsCode, startAuthEmulator } from './support/auth-emulator.mjs';
import { choose, expectAccessible, screenshot } from './support/pages.mjs';

// Production sign-in: Firebase phone sign-in in the browser (the Firebase Web SDK against the Auth
// emulator), exchanged at /v1/auth/firebase for the API's session cookie. A second API, started
// here with Firebase configured; its bootstrap admin phone makes the new member an admin.
test.describe.configure({ mode: 'serial', timeout: 300_000 });

const here = fileURLToPath(new URL('.', import.meta.url));
const jar = process.env.API_JAR || resolve(here, '../../api/target/civic-points-api.jar');
const logFile = resolve(here, '../target/api-firebase.log');
const phone = randomPhone();
let emulator;
let starting;
let server;

test.beforeAll(async () => {
  test.setTimeout(300_000); // the emulator, then an API with its own devnet
  emulator = await startAuthEmulator();
  starting = startDevServer({
    jar, logFile, name: 'console-e2e-firebase',
    settings: { FIREBASE_PROJECT_ID: PROJECT_ID, FIREBASE_AUTH_EMULATOR_HOST: emulator.host, BOOTSTRAP_ADMIN_PHONE: phone },
  });
  try {
    server = await starting;
  } catch (error) {
    throw new Error(`${error.message}\n${tail(logFile, 20)}`);
  }
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  await (await starting?.catch(() => null))?.stop();
  await emulator?.stop();
});

test('a member signs in with a text message code through the Firebase form and lands on the page asked for', async ({ page, context }) => {
  await page.goto(`${server.baseUrl}/console/rules`);
  await expect(page).toHaveURL(/\/console\/signin\?next=(%2F|\/)rules$/);
  await choose(page, '语言', 'English');
  await expect(page.getByRole('button', { name: 'Send code' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'signin-firebase.en');
  await choose(page, 'Language', '中文');

  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByLabel('验证码')).toBeVisible();
  let code;
  await until(async () => (code = await smsCode(emulator.host, phone)) !== undefined);
  await expectAccessible(page);
  await screenshot(page, 'signin-firebase-code.zh-CN');
  const exchange = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/auth/firebase');
  await page.getByLabel('验证码').fill(code);
  await page.getByRole('button', { name: '登录', exact: true }).click();

  const session = await (await exchange).json();
  expect(session.refreshToken).toBeUndefined();
  await expect(page).toHaveURL(/\/console\/rules$/);
  await expect(page.getByRole('button', { name: '新建规则' })).toBeVisible();
  expect((await context.cookies()).find((c) => c.name === 'civic_refresh')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  // Firebase kept its user in memory only, and the page's storage holds no token.
  const readable = await page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    storage: JSON.stringify({ ...localStorage, ...sessionStorage }),
  }));
  expect(readable.databases).not.toContain('firebaseLocalStorageDb');
  expect(readable.storage).not.toContain(session.accessToken);

  await page.reload();
  await expect(page.getByRole('button', { name: '新建规则' })).toBeVisible();
});

test('a wrong code is refused in the form, and the dev form stays available on a development server', async ({ page }) => {
  const other = randomPhone();
  await page.goto(`${server.baseUrl}/console/`);
  await page.getByLabel('手机号').fill(other);
  await page.getByRole('button', { name: '获取验证码' }).click();
  let code;
  await until(async () => (code = await smsCode(emulator.host, other)) !== undefined);
  await page.getByLabel('验证码').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByText('验证码不正确，请重新输入。')).toBeVisible();
  await expect(page).toHaveURL(/\/console\/signin/);

  await page.goto(`${server.baseUrl}/console/`);
  await page.getByRole('button', { name: '改用开发环境登录' }).click();
  await expect(page.getByRole('combobox', { name: '角色' })).toBeVisible();
});
