import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { api, firstCommunities, pastActivity, residentClaims, signIn, submission, until } from './support/api.mjs';
import { choose, expectAccessible, screenshot, signInThroughForm } from './support/pages.mjs';
import { zipEntries } from './support/zip.mjs';

test('an organizer reads the board with a recorded award, its trend, and exports it as CSV and Excel', async ({ page }) => {
  const [, , community] = await firstCommunities(3);
  const staff = await signIn(['STAFF'], community.communityId);
  const activity = await pastActivity(staff, community.communityId, '社区图书角整理');
  const claim = await residentClaims(community.communityId, activity);
  await api('POST', `/v1/submissions/${claim.submissionId}/approve`, { token: staff.token, body: {} });
  await until(async () => (await submission(staff.token, claim.submissionId)).status === 'RECORDED');

  await signInThroughForm(page, { role: 'ORGANIZER', communityName: community.name });
  await page.getByRole('link', { name: '排行榜' }).click();
  await choose(page, '周期', '全部');
  const row = page.getByRole('row').filter({ hasText: community.name });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('10');

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV' }).click();
  const csv = readFileSync(await (await csvDownload).path(), 'utf8');
  expect(csv.startsWith('\uFEFFrank,member_id,display_name,')).toBe(true);
  expect(csv.split('\r\n').find((line) => line.includes(claim.memberId))).toContain(',10,');

  const xlsxDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 Excel' }).click();
  const download = await xlsxDownload;
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const entries = zipEntries(readFileSync(await download.path()));
  const sheets = [...entries].filter(([name]) => name.startsWith('xl/')).map(([, text]) => text).join('\n');
  expect(sheets).toContain(claim.memberId);
  await expectAccessible(page);
  await screenshot(page, 'leaderboards.zh-CN');

  await choose(page, '周期', '本月');
  await expect(page.getByRole('heading', { name: '每日积分趋势' })).toBeVisible();
  await expect(page.getByRole('img', { name: '每日积分趋势' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'leaderboards-trend.zh-CN');

  await choose(page, '语言', 'English');
  await expect(page.getByRole('heading', { name: 'Leaderboards' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'leaderboards.en');
});
