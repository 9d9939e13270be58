import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { api, firstCommunities, pastActivity, residentClaims, signIn, submission, until } from './support/api.mjs';
import { choose, expectAccessible, screenshot, signInThroughForm } from './support/pages.mjs';
import { zipEntries } from './support/zip.mjs';

test('an organizer compares the communities of their street and sees the export history grow', async ({ page }) => {
  const [community, neighbour] = await firstCommunities(2);
  const phone = await signInThroughForm(page, { role: 'ORGANIZER', communityName: community.name });
  const organizer = await signIn(['ORGANIZER'], community.communityId, phone);
  const street = `street:${community.streetId}`;
  const compared = async () => Object.fromEntries(
    (await api('GET', `/v1/leaderboards/communities?scope=${street}&period=all`, { token: organizer.token }))
      .communities.map((c) => [c.communityId, c]));
  const before = await compared();

  const staff = await signIn(['STAFF'], community.communityId);
  const activity = await pastActivity(staff, community.communityId, '楼道清洁');
  const claim = await residentClaims(community.communityId, activity);
  await api('POST', `/v1/submissions/${claim.submissionId}/approve`, { token: staff.token, body: {} });
  await until(async () => (await submission(staff.token, claim.submissionId)).status === 'RECORDED');
  await until(async () => (await compared())[community.communityId].points === before[community.communityId].points + 10);

  await page.getByRole('link', { name: '社区对比' }).click();
  await choose(page, '周期', '全部');
  const row = page.getByRole('row').filter({ hasText: community.name });
  const points = before[community.communityId].points + 10;
  const participants = before[community.communityId].participants + 1;
  await expect(row.getByRole('cell')).toHaveText([community.name, String(points), String(participants), String(Math.round((points / participants) * 10) / 10)]);
  await expect(page.getByRole('row').filter({ hasText: neighbour.name }).getByRole('cell').nth(1))
    .toHaveText(String(before[neighbour.communityId].points));
  await checkAccessible(page);
  await screenshot(page, 'comparison.zh-CN');

  await page.getByRole('link', { name: '导出记录' }).click();
  await expect(page.getByRole('heading', { name: '导出记录' })).toBeVisible();
  const history = page.locator('.el-table__body').getByRole('row');
  const earlier = await history.count();

  await page.getByRole('link', { name: '排行榜' }).click();
  await choose(page, '周期', '全部');
  await expect(page.getByRole('row').filter({ hasText: community.name }).first()).toBeVisible();
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV' }).click();
  const csv = readFileSync(await (await csvDownload).path(), 'utf8');
  expect(csv.startsWith('\uFEFFrank,member_id,display_name,')).toBe(true);
  expect(csv.split('\r\n').find((line) => line.includes(claim.memberId))).toContain(',10,');
  const xlsxDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 Excel' }).click();
  const sheets = [...zipEntries(readFileSync(await (await xlsxDownload).path()))]
    .filter(([name]) => name.startsWith('xl/')).map(([, text]) => text).join('\n');
  expect(sheets).toContain(claim.memberId);

  await page.getByRole('link', { name: '导出记录' }).click();
  await expect(history).toHaveCount(earlier + 2);
  const me = await api('GET', '/v1/me', { token: organizer.token });
  for (const newest of [history.nth(0), history.nth(1)]) {
    await expect(newest).toContainText(me.displayName);
    await expect(newest).toContainText(community.streetName);
    await expect(newest).toContainText('全部类别');
  }
  await checkAccessible(page);
  await screenshot(page, 'exports.zh-CN');

  await choose(page, '语言', 'English');
  await expect(page.getByRole('heading', { name: 'Export history' })).toBeVisible();
  await checkAccessible(page);
  await screenshot(page, 'exports.en');
  await page.getByRole('link', { name: 'Community comparison' }).click();
  await choose(page, 'Period', 'All time');
  await expect(page.getByRole('row').filter({ hasText: community.name })).toContainText(String(points));
  await checkAccessible(page);
  await screenshot(page, 'comparison.en');
});

/** axe judges the page at rest: no fade half-way, no hover colour under the pointer. */
async function checkAccessible(page) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => Promise.allSettled(document.getAnimations().map((a) => a.finished)));
  await expectAccessible(page);
}
