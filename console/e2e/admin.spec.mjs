import { test, expect } from '@playwright/test';
import { api, firstCommunities, signIn } from './support/api.mjs';
import { choose, expectAccessible, screenshot, signInThroughForm } from './support/pages.mjs';

test.describe.configure({ mode: 'serial' });

let community;

test.beforeAll(async () => {
  [community] = await firstCommunities(1);
});

test('an admin changes a rule, sees the new version reach the ledger, the ledger status and the audit record', async ({ page }) => {
  const phone = await signInThroughForm(page, { role: 'ADMIN', communityName: community.name });
  const admin = await signIn(['ADMIN'], community.communityId, phone);
  const title = `绿化养护 ${Date.now()}`;
  const rule = await api('POST', '/v1/point-rules', {
    token: admin.token,
    body: { category: 'VOLUNTEER', points: 10, dailyCap: 0, yearlyCap: 0, title },
  });

  await page.getByRole('link', { name: '积分规则' }).click();
  const row = page.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('已上链', { timeout: 30_000 });
  await row.getByRole('button', { name: `修改 ${title}` }).click();
  const dialog = page.getByRole('dialog', { name: '修改积分规则' });
  await dialog.getByLabel('每单位积分').fill('12');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog).toBeHidden();
  // The new version shows, queued first, then written by the relay.
  await expect(row.getByRole('cell', { name: '2', exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: '12', exact: true })).toBeVisible();
  await expect(row).toContainText('已上链', { timeout: 30_000 });
  const changed = await api('GET', `/v1/point-rules/${rule.ruleId}`, { token: admin.token });
  expect([changed.version, changed.points, changed.ledgerState]).toEqual([2, 12, 'DONE']);
  await checkAccessible(page);
  await screenshot(page, 'rules.zh-CN');
  await page.getByRole('button', { name: '新建规则' }).click();
  await expect(page.getByRole('dialog', { name: '新建积分规则' })).toBeVisible();
  await expect(page.getByText('请填写名称')).toHaveCount(0);
  await checkAccessible(page);
  await screenshot(page, 'rule-dialog.zh-CN');
  await page.getByRole('dialog', { name: '新建积分规则' }).getByRole('button', { name: '取消' }).click();

  await page.getByRole('link', { name: '账本状态' }).click();
  const height = page.getByRole('cell', { name: '区块高度' }).locator('xpath=following-sibling::td[1]');
  await expect(height).toHaveText(/^[1-9]\d*$/);
  await checkAccessible(page);
  await screenshot(page, 'ledger.zh-CN');

  await page.getByRole('link', { name: '审计日志' }).click();
  await choose(page, '操作', '修改规则');
  await page.getByRole('button', { name: '查询' }).click();
  // Only the change is left once the filter applies (the creation was audited too).
  const record = page.getByRole('row').filter({ hasText: rule.ruleId });
  await expect(record).toHaveCount(1);
  await expect(record).toContainText('修改规则');
  await expect(record).toContainText(admin.memberId);
  await expect(record).toContainText('points: 10 → 12');
  await checkAccessible(page);
  await screenshot(page, 'audit.zh-CN');

  await choose(page, '语言', 'English');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await screenshot(page, 'audit.en');
  await page.getByRole('link', { name: 'Ledger status' }).click();
  await expect(page.getByText('Chain height')).toBeVisible();
  await screenshot(page, 'ledger.en');
  await page.getByRole('link', { name: 'Point rules' }).click();
  await expect(page.getByRole('row').filter({ hasText: title })).toContainText('On chain');
  await screenshot(page, 'rules.en');
});

test('staff see no admin links', async ({ page }) => {
  await signInThroughForm(page, { communityName: community.name });
  await expect(page.getByRole('link', { name: '审批' })).toBeVisible();
  for (const name of ['积分规则', '账本状态', '审计日志']) {
    await expect(page.getByRole('link', { name })).toHaveCount(0);
  }
});

/**
 * axe reads colours mid fade (a dialog opening, a dropdown closing) and under the pointer's hover
 * as they are for that instant: check the page at rest.
 */
async function checkAccessible(page) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => Promise.allSettled(document.getAnimations().map((a) => a.finished)));
  await expectAccessible(page);
}
