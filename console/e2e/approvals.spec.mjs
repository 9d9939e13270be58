import { test, expect } from '@playwright/test';
import {
  activeRule, api, beijing, beijingToday, claim, firstCommunities, pastActivity, residentClaims, signIn, submission, until,
} from './support/api.mjs';
import { choose, expectAccessible, screenshot, signInThroughForm } from './support/pages.mjs';

test.describe.configure({ mode: 'serial' });

let community;
let other;
const made = []; // every claim of this file, for the other community's staff to not see

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

test('staff create an activity, approve a checked-in claim that appeared by itself, and read its receipt', async ({ page }) => {
  const rule = await activeRule(community.communityId, `清扫 ${Date.now()}`);
  const phone = await signInThroughForm(page, { communityName: community.name });
  const staff = await signIn(['STAFF'], community.communityId, phone);

  await page.getByRole('link', { name: '活动' }).click();
  await page.getByRole('button', { name: '新建活动' }).click();
  const form = page.getByRole('dialog', { name: '新建活动' });
  await form.getByLabel('活动名称').fill('楼道清扫');
  await choose(page, '积分规则', `${rule.title}（志愿服务，10）`);
  await form.getByPlaceholder('开始时间').fill(beijing(new Date(Date.now() - 3_600_000)));
  await form.getByPlaceholder('结束时间').fill(beijing(new Date(Date.now() + 7_200_000)));
  await form.getByPlaceholder('结束时间').press('Enter');
  await form.getByLabel('活动名称').click();
  await form.getByRole('button', { name: '保存' }).click();
  await expect(form).toBeHidden();
  const row = page.getByRole('row').filter({ hasText: '楼道清扫' });
  await row.getByRole('button', { name: '签到码' }).click();
  const code = await page.getByRole('dialog', { name: /签到码/ }).getByTestId('check-in-code').textContent();
  expect(code).toMatch(/^[0-9]{6}$/);
  await page.getByRole('dialog', { name: /签到码/ }).getByRole('button', { name: /关闭|Close/ }).click();
  const activity = (await api('GET', `/v1/activities?communityId=${community.communityId}&limit=100`, { token: staff.token }))
    .items.find((a) => a.title === '楼道清扫');

  await page.getByRole('link', { name: '审批' }).click();
  const queue = page.getByRole('region', { name: '待审批列表' });
  await expect(queue).toBeVisible();
  // A resident enrolls, checks in with the projected code and claims, after the page opened.
  const resident = await signIn([], community.communityId);
  await api('POST', `/v1/activities/${activity.activityId}/enrollments`, { token: resident.token });
  await api('POST', `/v1/activities/${activity.activityId}/check-in`, { token: resident.token, body: { code } });
  const evidence = { note: '清理了三层楼道', photoUrls: ['https://photos.example.org/stairs.jpg'] };
  const submissionId = await claim(resident, { activityId: activity.activityId, day: beijingToday() }, evidence);
  made.push(submissionId);

  const claimRow = queue.getByRole('row').filter({ hasText: '楼道清扫' });
  await expect(claimRow).toHaveCount(1, { timeout: 10_000 });
  await expect(claimRow).toContainText(resident.phone.slice(-4));
  await expect(claimRow).toContainText('清理了三层楼道');
  await expect(claimRow).toContainText('已签到');
  await expect(claimRow.getByRole('link', { name: '照片 1' })).toHaveAttribute('href', evidence.photoUrls[0]);
  await expectAccessible(page);
  await screenshot(page, 'approvals.zh-CN');

  await claimRow.getByRole('button', { name: '通过' }).click();
  await expect(claimRow).toHaveCount(0);
  const decided = page.getByRole('region', { name: '本次处理' }).getByRole('row').filter({ hasText: '楼道清扫' });
  await expect(decided).toContainText('已上链', { timeout: 20_000 });
  const recorded = await submission(staff.token, submissionId);
  expect(recorded.status).toBe('RECORDED');
  await expect(decided).toContainText(recorded.ledger.txId.slice(0, 12));
  await expect(decided).toContainText(`区块 ${recorded.ledger.blockNumber}`);

  await decided.getByRole('button', { name: '回执' }).click();
  const receipt = page.getByRole('dialog', { name: '账本回执' });
  await expect(receipt).toContainText('与链上记录一致');
  await expect(receipt).toContainText(recorded.ledger.txId);
  await expectAccessible(page);
  await screenshot(page, 'approvals-receipt.zh-CN');
  await receipt.getByRole('button', { name: /关闭|Close/ }).click();
});

test('staff reject with a reason, batch-approve twenty with a result per row, and reverse one', async ({ page }) => {
  test.setTimeout(180_000);
  const phone = await signInThroughForm(page, { communityName: community.name });
  const staff = await signIn(['STAFF'], community.communityId, phone);
  const title = `公园清扫 ${Date.now() % 100_000}`;
  const activity = await pastActivity(staff, community.communityId, title);
  const doubtful = await residentClaims(community.communityId, activity);
  const claims = [];
  for (let i = 0; i < 20; i += 1) claims.push(await residentClaims(community.communityId, activity));
  const own = await claim(staff, activity); // staff's own claim: refused in the batch
  made.push(doubtful.submissionId, own, ...claims.map((c) => c.submissionId));

  const queue = page.getByRole('region', { name: '待审批列表' });
  const rows = queue.getByRole('row').filter({ hasText: title });
  await expect(rows).toHaveCount(22, { timeout: 10_000 });
  await expect(rows.first()).toContainText('自报');

  await rows.filter({ hasText: doubtful.phone.slice(-4) }).getByRole('button', { name: '驳回' }).click();
  const dialog = page.getByRole('dialog', { name: '驳回申报' });
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog.getByText('请填写驳回原因')).toBeVisible();
  await dialog.getByLabel('驳回原因').fill('照片与活动不符');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(rows).toHaveCount(21);
  const rejected = await submission(staff.token, doubtful.submissionId);
  expect(rejected).toMatchObject({ status: 'REJECTED', rejectionReason: '照片与活动不符' });

  // Staff's own claim: approving it alone shows the API's problem in Chinese.
  await rows.filter({ hasText: phone.slice(-4) }).getByRole('button', { name: '通过' }).click();
  await expect(page.getByText(/是您本人的，请由其他工作人员处理/).first()).toBeVisible();

  await choose(page, '活动', title);
  // Element Plus draws the box over the checkbox input: a person clicks the box.
  await queue.locator('label', { has: page.getByRole('checkbox', { name: '选择所有行' }) }).click();
  await page.getByRole('button', { name: '批量通过' }).click();
  const summary = page.getByRole('status').filter({ hasText: '成功 20 条，未处理 1 条' });
  await expect(summary).toBeVisible();
  await expect(summary).toContainText('不能审批本人的申报');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('不能审批本人的申报');
  for (const c of claims) {
    await until(async () => (await submission(staff.token, c.submissionId)).status === 'RECORDED');
  }
  const decided = page.getByRole('region', { name: '本次处理' }).getByRole('row').filter({ hasText: title });
  await expect(decided.filter({ hasText: '已上链' })).toHaveCount(20, { timeout: 20_000 });
  await expectAccessible(page);
  await screenshot(page, 'approvals-batch.zh-CN');

  const reversed = claims[0];
  await decided.filter({ hasText: reversed.phone.slice(-4) }).getByRole('button', { name: '撤销' }).click();
  const reverse = page.getByRole('dialog', { name: '撤销积分' });
  await reverse.getByRole('button', { name: '确定' }).click();
  await expect(reverse.getByText('请填写撤销原因')).toBeVisible();
  await reverse.getByLabel('撤销原因').fill('同一班次重复申报');
  await reverse.getByRole('button', { name: '确定' }).click();
  await expect(decided.filter({ hasText: reversed.phone.slice(-4) })).toContainText('已撤销', { timeout: 20_000 });
  await until(async () => (await submission(staff.token, reversed.submissionId)).status === 'REVERSED');

  await choose(page, '语言', 'English');
  await expect(page.getByRole('heading', { name: 'Approvals' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'approvals.en');
});

test('staff of another community see none of these claims', async ({ page }) => {
  const phone = await signInThroughForm(page, { communityName: other.name });
  const stranger = await signIn(['STAFF'], other.communityId, phone);
  const queue = page.getByRole('region', { name: '待审批列表' });
  await expect(queue.getByText('暂无申报')).toBeVisible();
  for (const status of ['已上链', '已驳回', '已撤销']) {
    await choose(page, '状态', status);
    await expect(queue.getByRole('row').filter({ hasText: /公园清扫|楼道清扫/ })).toHaveCount(0);
  }
  for (const submissionId of made.slice(0, 3)) {
    await expect(api('GET', `/v1/submissions/${submissionId}/receipt`, { token: stranger.token })).rejects.toThrow(/404/);
  }
});
