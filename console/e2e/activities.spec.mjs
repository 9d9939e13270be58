import { test, expect } from '@playwright/test';
import { activeRule, api, beijing, firstCommunities, signIn } from './support/api.mjs';
import { choose, expectAccessible, screenshot, signInThroughForm } from './support/pages.mjs';

test.describe.configure({ mode: 'serial' });

test('staff create a CODE activity, project its code, see who checked in, and cancel another', async ({ page }) => {
  const [community] = await firstCommunities(1);
  const rule = await activeRule(community.communityId, `植树 ${Date.now()}`);
  const phone = await signInThroughForm(page, { communityName: community.name });
  const staff = await signIn(['STAFF'], community.communityId, phone);
  const doomed = await api('POST', '/v1/activities', {
    token: staff.token,
    body: {
      communityId: community.communityId, type: 'VOLUNTEER', title: '即将取消的讲座', ruleId: rule.ruleId,
      checkIn: 'NONE', startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 90_000_000).toISOString(),
    },
  });

  await page.getByRole('link', { name: '活动' }).click();
  await expect(page.getByRole('row').filter({ hasText: '即将取消的讲座' })).toHaveCount(1);
  await page.getByRole('button', { name: '新建活动' }).click();
  const form = page.getByRole('dialog', { name: '新建活动' });
  await form.getByRole('button', { name: '保存' }).click();
  await expect(form.getByText('请输入活动名称')).toBeVisible();
  await form.getByLabel('活动名称').fill('河边植树');
  await choose(page, '积分规则', `${rule.title}（志愿服务，10）`);
  await form.getByPlaceholder('开始时间').fill(beijing(new Date(Date.now() - 3_600_000)));
  await form.getByPlaceholder('结束时间').fill(beijing(new Date(Date.now() + 7_200_000)));
  await form.getByPlaceholder('结束时间').press('Enter');
  await form.getByLabel('活动名称').click(); // closes the date panel
  await expect(page.locator('.el-picker__popper:visible')).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, 'activities-new.zh-CN');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(form).toBeHidden();

  const row = page.getByRole('row').filter({ hasText: '河边植树' });
  await expect(row).toContainText('签到码');
  const created = (await api('GET', `/v1/activities?communityId=${community.communityId}&limit=100`, { token: staff.token }))
    .items.find((a) => a.title === '河边植树');
  expect(created).toMatchObject({ checkIn: 'CODE', ruleId: rule.ruleId, type: 'VOLUNTEER', capacity: 30, status: 'OPEN' });

  await row.getByRole('button', { name: '签到码' }).click();
  const projector = page.getByRole('dialog', { name: /签到码/ });
  const shown = projector.getByTestId('check-in-code');
  await expect(shown).toHaveText(/^[0-9]{6}$/);
  await expect(projector.getByRole('img', { name: /签到二维码/ })).toBeVisible();
  const code = await shown.textContent();
  // The code rotates each minute: the page and the API agree at some moment.
  await expect.poll(async () => (await api('GET', `/v1/activities/${created.activityId}/check-in-code`, { token: staff.token })).code === (await shown.textContent())).toBe(true);
  await expectAccessible(page);
  await screenshot(page, 'activities-code.zh-CN');

  const resident = await signIn([], community.communityId);
  await api('POST', `/v1/activities/${created.activityId}/enrollments`, { token: resident.token });
  const checkedIn = await api('POST', `/v1/activities/${created.activityId}/check-in`, { token: resident.token, body: { code } });
  expect(checkedIn.attendance).toBe('VERIFIED');
  await projector.getByRole('button', { name: /关闭|Close/ }).click();

  await row.getByRole('button', { name: '报名与签到' }).click();
  const attendance = page.getByRole('dialog', { name: /报名与签到/ });
  await expect(attendance.getByRole('row').filter({ hasText: '已签到' })).toHaveCount(1);
  await expectAccessible(page);
  await screenshot(page, 'activities-attendance.zh-CN');
  await attendance.getByRole('button', { name: /关闭|Close/ }).click();

  await page.getByRole('row').filter({ hasText: '即将取消的讲座' }).getByRole('button', { name: '取消活动' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '取消活动' }).click();
  await expect(page.getByRole('row').filter({ hasText: '即将取消的讲座' })).toContainText('已取消');
  expect((await api('GET', `/v1/activities/${doomed.activityId}`, { token: staff.token })).status).toBe('CANCELLED');
  await expectAccessible(page);
  await screenshot(page, 'activities.zh-CN');

  await choose(page, '语言', 'English');
  await expect(page.getByRole('heading', { name: 'Activities' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'activities.en');
});
