import { test, expect } from '@playwright/test';
import { api, firstCommunities, signIn } from './support/api.mjs';
import { choose, expectAccessible, screenshot, signInThroughForm } from './support/pages.mjs';

test.describe.configure({ mode: 'serial' });

let community;

test.beforeAll(async () => {
  [community] = await firstCommunities(1);
});

test('an admin imports units after a dry run, renames and retires one', async ({ page }) => {
  const phone = await signInThroughForm(page, { role: 'ADMIN', communityName: community.name });
  const admin = await signIn(['ADMIN'], community.communityId, phone);
  const run = Date.now();
  const good = `e2e-${run}-a`;
  const bad = `e2e-${run}-b`;
  await page.getByRole('link', { name: '组织架构' }).click();
  await expect(page.getByRole('row').filter({ hasText: community.name })).toHaveCount(1);
  await checkAccessible(page);
  await screenshot(page, 'org-units.zh-CN');

  await page.getByRole('button', { name: '导入 CSV' }).click();
  const dialog = page.getByRole('dialog', { name: '从 CSV 导入组织架构' });
  const csv = (parent) => `code,kind,name,parentCode\n${good},COMMUNITY,银杏社区 ${run},${community.streetId}\n${bad},COMMUNITY,梧桐社区 ${run},${parent}\n`;
  // A community under a community: the dry run names line 3 and nothing can be applied.
  await dialog.getByLabel('CSV 内容').fill(csv(community.communityId));
  await dialog.getByRole('button', { name: '预检' }).click();
  await expect(dialog.getByRole('status')).toContainText('共 2 行：新建 1，改名 0，不变 0，有问题 1');
  const problem = dialog.getByRole('row').filter({ hasText: /^3/ });
  await expect(problem).toHaveCount(1);
  await expect(dialog.getByRole('button', { name: '导入', exact: true })).toBeDisabled();
  await checkAccessible(page);
  await screenshot(page, 'org-units-import.zh-CN');

  // The fixed file comes from disk, as an admin would pick it.
  await dialog.getByLabel('选择文件').setInputFiles({ name: 'units.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(community.streetId)) });
  await expect(dialog.getByLabel('CSV 内容')).toHaveValue(csv(community.streetId));
  await expect(dialog.getByText('内容已在预检后修改，请重新预检。')).toBeVisible();
  await expect(dialog.getByRole('button', { name: '导入', exact: true })).toBeDisabled();
  await dialog.getByRole('button', { name: '预检' }).click();
  await expect(dialog.getByRole('status')).toContainText('新建 2，改名 0，不变 0，有问题 0');
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  await expect(dialog).toBeHidden();
  const created = page.getByRole('row').filter({ hasText: good });
  await expect(created).toContainText(`银杏社区 ${run}`);
  const units = await api('GET', `/v1/org-units?kind=COMMUNITY&parentId=${community.streetId}&limit=100`, { token: admin.token });
  expect(units.items.map((u) => u.code)).toEqual(expect.arrayContaining([good, bad]));

  await created.getByRole('button', { name: `重命名 银杏社区 ${run}` }).click();
  const rename = page.getByRole('dialog', { name: '重命名组织单位' });
  await rename.getByLabel('名称').fill(`银杏里社区 ${run}`);
  await rename.getByRole('button', { name: '确定' }).click();
  await expect(rename).toBeHidden();
  await expect(created).toContainText(`银杏里社区 ${run}`);

  await created.getByRole('button', { name: `撤销 银杏里社区 ${run}` }).click();
  const confirm = page.getByRole('dialog', { name: '撤销' });
  await expect(confirm).toContainText(`确定撤销“银杏里社区 ${run}”吗？`);
  await confirm.getByRole('button', { name: '撤销', exact: true }).click();
  await expect(page.getByRole('row').filter({ hasText: good })).toHaveCount(0);
  await page.getByText('显示已撤销的单位').click();
  await expect(page.getByRole('row').filter({ hasText: good })).toContainText('撤销');
  const retired = units.items.find((u) => u.code === good);
  expect((await api('GET', `/v1/org-units/${retired.orgUnitId}`, { token: admin.token })).retiredAt).toBeTruthy();
  const other = units.items.find((u) => u.code === bad);
  await api('POST', `/v1/org-units/${other.orgUnitId}/retire`, { token: admin.token });

  // One more through the form, below the street.
  await page.getByRole('button', { name: `新建下级 ${community.streetName}` }).click();
  const create = page.getByRole('dialog', { name: '新建组织单位' });
  await expect(create.getByText('社区', { exact: true })).toBeVisible();
  await create.getByLabel('名称').fill(`香樟社区 ${run}`);
  await create.getByLabel('编码').fill(`e2e-${run}-c`);
  await create.getByRole('button', { name: '确定' }).click();
  await expect(create).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: `e2e-${run}-c` })).toContainText(`香樟社区 ${run}`);
  const made = (await api('GET', `/v1/org-units?kind=COMMUNITY&parentId=${community.streetId}&limit=100`, { token: admin.token }))
    .items.find((u) => u.code === `e2e-${run}-c`);
  expect(made.name).toBe(`香樟社区 ${run}`);
  await api('POST', `/v1/org-units/${made.orgUnitId}/retire`, { token: admin.token });

  await choose(page, '语言', 'English');
  await expect(page.getByRole('heading', { name: 'Org units' })).toBeVisible();
  await checkAccessible(page);
  await screenshot(page, 'org-units.en');
});

test('an admin grants a member a staff role with a scope and revokes it, and cannot grant themselves', async ({ page }) => {
  const phone = await signInThroughForm(page, { role: 'ADMIN', communityName: community.name });
  const admin = await signIn(['ADMIN'], community.communityId, phone);
  const resident = await signIn([], community.communityId);
  const me = await api('GET', '/v1/me', { token: resident.token });
  await page.getByRole('link', { name: '角色与范围' }).click();
  await choose(page, '社区', community.name);
  await page.getByLabel('查找成员').fill(resident.phone.slice(-4));
  const row = page.getByRole('row').filter({ hasText: me.displayName });
  await expect(row).toHaveCount(1);
  await checkAccessible(page);
  await screenshot(page, 'access.zh-CN');

  await row.getByRole('button', { name: `管理权限 ${me.displayName}` }).click();
  const dialog = page.getByRole('dialog', { name: `${me.displayName} 的角色与范围` });
  await choose(page, '角色', '社区工作人员');
  await dialog.getByRole('combobox', { name: '范围' }).fill(community.name);
  await page.locator('.el-tree-node__content', { hasText: community.name }).click();
  await dialog.getByRole('button', { name: '授予', exact: true }).click();
  await expect(dialog.getByRole('button', { name: '撤销角色 社区工作人员' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: `撤销范围 ${community.name}` })).toBeVisible();
  const granted = (await api('GET', `/v1/members?communityId=${community.communityId}`, { token: admin.token }))
    .items.find((m) => m.memberId === resident.memberId);
  expect([granted.roles, granted.scopes]).toEqual([expect.arrayContaining(['STAFF']), [`community:${community.communityId}`]]);
  await page.mouse.move(0, 0);
  await checkAccessible(page);
  await screenshot(page, 'access-dialog.zh-CN');

  // Revoking the role drops the scope no other role needs.
  await dialog.getByRole('button', { name: '撤销角色 社区工作人员' }).click();
  await expect(dialog.getByRole('button', { name: '撤销角色 社区工作人员' })).toHaveCount(0);
  await expect(dialog.getByText('暂无范围')).toBeVisible();
  const revoked = (await api('GET', `/v1/members?communityId=${community.communityId}`, { token: admin.token }))
    .items.find((m) => m.memberId === resident.memberId);
  expect([revoked.roles, revoked.scopes]).toEqual([['RESIDENT'], []]);
  await dialog.getByRole('button', { name: 'Close' }).or(dialog.getByRole('button', { name: '关闭此对话框' })).first().click();

  // The API refuses an admin's own grant; the console shows its reason.
  await page.getByLabel('查找成员').fill(admin.memberId);
  await page.getByRole('row').filter({ hasText: admin.memberId.slice(2, 6).toUpperCase() }).getByRole('button').click();
  const own = page.getByRole('dialog', { name: /的角色与范围$/ });
  await choose(page, '角色', '组织者');
  await own.getByRole('button', { name: '授予', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('不能为自己授予角色或范围，请由其他管理员处理。');

  await page.keyboard.press('Escape');
  await choose(page, '语言', 'English');
  await expect(page.getByRole('heading', { name: 'Roles and scopes' })).toBeVisible();
  await checkAccessible(page);
  await screenshot(page, 'access.en');
});

test('staff have no link to the admins\' and organizers\' screens, see a not-allowed state at their address, and the API refuses them', async ({ page }) => {
  const phone = await signInThroughForm(page, { communityName: community.name });
  const staff = await signIn(['STAFF'], community.communityId, phone);
  for (const name of ['组织架构', '角色与范围', '社区对比', '导出记录']) {
    await expect(page.getByRole('link', { name })).toHaveCount(0);
  }
  for (const path of ['org-units', 'access', 'comparison', 'exports']) {
    await page.evaluate((to) => window.history.pushState({}, '', to), `/console/${path}`);
    await page.evaluate(() => window.dispatchEvent(new PopStateEvent('popstate')));
    await expect(page.getByText('无权访问')).toBeVisible();
  }
  await checkAccessible(page);
  await screenshot(page, 'not-allowed.zh-CN');
  await expect(api('GET', '/v1/org-units', { token: staff.token })).rejects.toThrow(/→ 403/);
  await expect(api('GET', '/v1/leaderboards/exports', { token: staff.token })).rejects.toThrow(/→ 403/);
  await expect(api('GET', `/v1/leaderboards/communities?scope=street:${community.streetId}&period=all`, { token: staff.token })).rejects.toThrow(/→ 403/);
  await expect(api('POST', `/v1/members/${staff.memberId}/roles`, { token: staff.token, body: { role: 'ADMIN' } })).rejects.toThrow(/→ 403/);
});

/** axe judges the page at rest: no fade half-way, no hover colour under the pointer. */
async function checkAccessible(page) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => Promise.allSettled(document.getAnimations().map((a) => a.finished)));
  await expectAccessible(page);
}
