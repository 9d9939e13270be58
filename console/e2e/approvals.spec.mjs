import { test, expect } from '@playwright/test';
import { firstCommunities, pastActivity, residentClaims, signIn, submission, until } from './support/api.mjs';
import { choose, expectAccessible, screenshot, signInThroughForm } from './support/pages.mjs';

test.describe.configure({ mode: 'serial' });

let community;
let other;

test.beforeAll(async () => {
  [community, other] = await firstCommunities(2);
});

test('the sign-in page is Chinese first, accessible, and English on request', async ({ page }) => {
  await page.goto(`${process.env.API_BASE_URL}/console/approvals`);
  await expect(page.getByRole('heading', { name: '登录管理台' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'signin.zh-CN');
  await choose(page, '语言', 'English');
  await expect(page.getByRole('heading', { name: 'Sign in to the console' })).toBeVisible();
  await expect(page.getByLabel('Phone number')).toBeVisible();
  await screenshot(page, 'signin.en');
});

test('staff approve, reject with a reason and batch-approve claims that appear by themselves', async ({ page }) => {
  const phone = await signInThroughForm(page, { communityName: community.name });
  const staff = await signIn(['STAFF'], community.communityId, phone);
  const activity = await pastActivity(staff, community.communityId, '公园清扫');
  // Claims made after the page opened appear without a reload.
  const claims = [];
  for (let i = 0; i < 5; i += 1) claims.push(await residentClaims(community.communityId, activity));
  const rows = page.getByRole('row').filter({ hasText: '公园清扫' });
  await expect(rows).toHaveCount(5, { timeout: 12_000 });
  await expectAccessible(page);
  await screenshot(page, 'approvals.zh-CN');

  const first = rows.filter({ hasText: claims[0].phone.slice(-4) });
  await first.getByRole('button', { name: '通过' }).click();
  await expect(rows).toHaveCount(4);
  await until(async () => (await submission(staff.token, claims[0].submissionId)).status === 'RECORDED');
  expect((await submission(staff.token, claims[0].submissionId)).ledger.txId).toMatch(/^[0-9a-f]{64}$/);

  await rows.filter({ hasText: claims[1].phone.slice(-4) }).getByRole('button', { name: '驳回' }).click();
  const dialog = page.getByRole('dialog', { name: '驳回申报' });
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog.getByText('请填写驳回原因')).toBeVisible();
  await dialog.getByLabel('驳回原因').fill('照片与活动不符');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(rows).toHaveCount(3);
  const rejected = await submission(staff.token, claims[1].submissionId);
  expect(rejected.status).toBe('REJECTED');
  expect(rejected.rejectionReason).toBe('照片与活动不符');

  // Element Plus draws the box over the checkbox input: a person clicks the box.
  await page.locator('label', { has: page.getByRole('checkbox', { name: '选择所有行' }) }).click();
  await expect(page.getByRole('checkbox', { name: '选择所有行' })).toBeChecked();
  await page.getByRole('button', { name: '批量通过' }).click();
  await expect(rows).toHaveCount(0);
  for (const claim of claims.slice(2)) {
    await until(async () => (await submission(staff.token, claim.submissionId)).status === 'RECORDED');
  }
});

test('staff of another community see none of these claims', async ({ page }) => {
  await signInThroughForm(page, { communityName: other.name });
  await expect(page.getByText('暂无申报')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: '公园清扫' })).toHaveCount(0);
});
