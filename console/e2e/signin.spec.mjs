import { test, expect } from '@playwright/test';
import { api, baseUrl, firstCommunities, randomPhone, signIn } from './support/api.mjs';
import { choose, expectAccessible, screenshot, signInThroughForm } from './support/pages.mjs';

// The console's session: the access token in memory only, the refresh token an HttpOnly cookie
// that a reload, an expired access token and a sign-out use; no token in the page's storage.
test.describe.configure({ mode: 'serial' });

let community;

test.beforeAll(async () => {
  [community] = await firstCommunities(1);
});

const isApi = (path) => (url) => new URL(url).pathname === path;

/** Everything page script can read: local and session storage, and document.cookie. */
async function readableByScript(page) {
  return page.evaluate(() => ({
    storage: JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }),
    cookie: document.cookie,
  }));
}

async function signInAsAdmin(page) {
  const answer = page.waitForResponse((r) => isApi('/v1/auth/dev')(r.url()));
  await signInThroughForm(page, { role: 'ADMIN', communityName: community.name });
  return (await answer).json();
}

test('the session survives a reload through the HttpOnly cookie, and no token is in storage', async ({ page, context }) => {
  const signedIn = await signInAsAdmin(page);
  expect(signedIn.refreshToken).toBeUndefined();
  await page.getByRole('link', { name: '积分规则' }).click();
  await expect(page).toHaveURL(/\/console\/rules$/);

  const refreshed = page.waitForResponse((r) => isApi('/v1/auth/refresh')(r.url()));
  await page.reload();
  const restored = await (await refreshed).json();
  expect(restored.refreshToken).toBeUndefined();
  await expect(page).toHaveURL(/\/console\/rules$/);
  await expect(page.getByRole('link', { name: '积分规则' })).toBeVisible();
  await expect(page.getByRole('button', { name: '新建规则' })).toBeVisible();

  const readable = await readableByScript(page);
  for (const token of [signedIn.accessToken, restored.accessToken]) expect(readable.storage).not.toContain(token);
  expect(readable.storage).not.toMatch(/token|refresh/i);
  expect(readable.cookie).not.toContain('civic_refresh');
  const [cookie] = (await context.cookies()).filter((c) => c.name === 'civic_refresh');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/v1/auth', secure: false });
  await expectAccessible(page);
});

test('an invalid access token is refreshed once and the call succeeds', async ({ page }) => {
  const admin = await signIn(['ADMIN'], community.communityId);
  const title = `社区巡逻 ${Date.now()}`;
  await api('POST', '/v1/point-rules', {
    token: admin.token,
    body: { category: 'VOLUNTEER', points: 10, dailyCap: 0, yearlyCap: 0, title },
  });
  await signInAsAdmin(page);
  await page.getByRole('link', { name: '账本状态' }).click();
  const refreshes = [];
  page.on('request', (request) => { if (isApi('/v1/auth/refresh')(request.url())) refreshes.push(request); });
  const seen = [];
  // The first listing goes out with a token the API refuses, as an expired one would be.
  await page.route(isApi('/v1/point-rules'), (route) => {
    const headers = route.request().headers();
    seen.push(headers.authorization);
    return route.continue({ headers: seen.length === 1 ? { ...headers, authorization: 'Bearer not-a-token' } : headers });
  });

  await page.getByRole('link', { name: '积分规则' }).click();

  await expect(page.getByRole('button', { name: '新建规则' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: title })).toBeVisible();
  expect(seen).toHaveLength(2);
  expect(seen[1]).not.toEqual(seen[0]);
  expect(refreshes).toHaveLength(1);
  expect(refreshes[0].headers()['x-session-transport']).toBe('cookie');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a failed refresh goes to sign-in, and signing in returns to the page', async ({ page, context }) => {
  await signInAsAdmin(page);
  await page.getByRole('link', { name: '积分规则' }).click();
  await expect(page.getByRole('button', { name: '新建规则' })).toBeVisible();
  // The sign-in ended (the cookie is gone) and the access token is refused.
  await context.clearCookies();
  await page.route(isApi('/v1/audit'), (route) =>
    route.continue({ headers: { ...route.request().headers(), authorization: 'Bearer not-a-token' } }), { times: 1 });

  await page.getByRole('link', { name: '审计日志' }).click();

  await expect(page).toHaveURL(/\/console\/signin\?next=(%2F|\/)audit$/);
  await page.getByLabel('手机号').fill(randomPhone());
  await choose(page, '角色', '管理员');
  await choose(page, '社区', community.name);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/console\/audit$/);
  await expect(page.getByRole('button', { name: '查询' })).toBeVisible();
});

test('signing out ends the session: a reload stays on the sign-in page', async ({ page, context }) => {
  await signInAsAdmin(page);
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/console\/signin/);
  expect((await context.cookies()).filter((c) => c.name === 'civic_refresh')).toEqual([]);

  await page.goto(`${baseUrl()}/console/rules`);

  await expect(page).toHaveURL(/\/console\/signin\?next=(%2F|\/)rules$/);
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
});
