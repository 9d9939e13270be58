import { test, expect } from '@playwright/test';
import { api, firstCommunities, signIn } from './support/api.mjs';
import { choose, expectAccessible, screenshot, signInThroughForm } from './support/pages.mjs';

test('staff find a member, verify a party membership and decide community change requests', async ({ page }) => {
  const [community, other] = await firstCommunities(2);
  const resident = await signIn([], community.communityId);
  const movers = [await signIn([], other.communityId), await signIn([], other.communityId)];
  for (const mover of movers) {
    await api('PATCH', '/v1/me', { token: mover.token, body: { communityId: community.communityId } });
  }
  await signInThroughForm(page, { communityName: community.name });

  await page.getByRole('link', { name: '成员' }).click();
  await expect(page.getByRole('heading', { name: '成员' })).toBeVisible();
  await page.getByLabel('搜索成员').fill(resident.phone.slice(-4));
  const row = page.getByRole('row').filter({ hasText: resident.phone.slice(-4) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('未核验');
  await row.getByRole('button', { name: '核验党员身份' }).click();
  const dialog = page.getByRole('dialog', { name: '核验党员身份' });
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog.getByText('请选择党支部')).toBeVisible();
  const [branch] = (await api('GET', '/v1/party-branches')).items;
  await choose(page, '所属党支部', branch.name);
  await expectAccessible(page);
  await screenshot(page, 'members-verify.zh-CN');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(row).toContainText(`已核验（${branch.name}）`);
  const staff = await signIn(['STAFF'], community.communityId);
  const listed = (await api('GET', `/v1/members?communityId=${community.communityId}`, { token: staff.token }))
    .items.find((m) => m.memberId === resident.memberId);
  expect(listed.partyMembership).toMatchObject({ status: 'VERIFIED', branchId: branch.branchId });
  expect(listed.roles).toContain('PARTY_MEMBER');

  const changes = page.getByRole('region', { name: '社区变更申请' });
  const [welcome, refuse] = movers.map((m) => changes.getByRole('row').filter({ hasText: m.memberId }));
  await expect(welcome).toContainText(other.name);
  await page.getByLabel('搜索成员').fill('');
  await expectAccessible(page);
  await screenshot(page, 'members.zh-CN');
  await welcome.getByRole('button', { name: '同意迁入' }).click();
  await expect(welcome).toHaveCount(0);
  await refuse.getByRole('button', { name: '拒绝迁入' }).click();
  await expect(refuse).toHaveCount(0);
  expect((await api('GET', '/v1/me', { token: movers[0].token })).communityId).toBe(community.communityId);
  expect((await api('GET', '/v1/me', { token: movers[1].token })).communityId).toBe(other.communityId);
  await expect(page.getByRole('row').filter({ hasText: movers[0].phone.slice(-4) })).toHaveCount(1);

  await choose(page, '语言', 'English');
  await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'members.en');
});

test('staff of another community do not see these members or requests', async ({ page }) => {
  const [community, other] = await firstCommunities(2);
  const resident = await signIn([], community.communityId);
  await signInThroughForm(page, { communityName: other.name });
  await page.getByRole('link', { name: '成员' }).click();
  await expect(page.getByRole('heading', { name: '成员' })).toBeVisible();
  await page.locator('.el-select', { has: page.getByRole('combobox', { name: '社区' }) }).click();
  await expect(page.getByRole('option', { name: other.name, exact: true })).toBeVisible();
  await expect(page.getByRole('option', { name: community.name, exact: true })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await page.getByLabel('搜索成员').fill(resident.phone.slice(-4));
  await expect(page.getByRole('row').filter({ hasText: resident.phone.slice(-4) })).toHaveCount(0);
});

test('staff register a resident without a smartphone, who is marked as assisted', async ({ page }) => {
  const [community] = await firstCommunities(1);
  await signInThroughForm(page, { communityName: community.name });
  await page.getByRole('link', { name: '成员' }).click();
  await page.getByRole('button', { name: '登记居民' }).click();
  const dialog = page.getByRole('dialog', { name: '登记无智能手机的居民' });
  const name = `王芳${Date.now() % 100000}`;
  await dialog.getByLabel('姓名').fill(name);
  await dialog.getByLabel('手机号（选填）').fill('13800000000');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog.getByText('请按国际格式填写，如 +8613800000000')).toBeVisible();
  await dialog.getByLabel('手机号（选填）').fill('');
  await page.mouse.move(0, 0); // off the hovered (lighter) 确定 button
  await expectAccessible(page);
  await screenshot(page, 'members-register.zh-CN');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog).toHaveCount(0);
  await page.getByLabel('搜索成员').fill(name);
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('代办居民（无应用）');
  const staff = await signIn(['STAFF'], community.communityId);
  const listed = (await api('GET', `/v1/members?communityId=${community.communityId}`, { token: staff.token }))
    .items.find((m) => m.displayName === name);
  expect(listed.registeredBy).toMatch(/^m_/);

  await choose(page, '语言', 'English');
  await expect(row).toContainText('Assisted resident (no app)');
  await expectAccessible(page);
  await screenshot(page, 'members-register.en');
});
