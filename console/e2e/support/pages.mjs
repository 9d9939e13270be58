// What every page test does the same way: sign in through the form, check accessibility,
// take the screenshot the console README links to.
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from '@playwright/test';
import { baseUrl, randomPhone } from './api.mjs';

export const SCREENSHOTS = new URL('../../target/screenshots/', import.meta.url).pathname;

/** Signs in through the dev form as a new member with the role, in the community (by name). */
export async function signInThroughForm(page, { role = 'STAFF', communityName, phone = randomPhone() }) {
  await page.goto(`${baseUrl()}/console/`);
  await page.getByLabel('手机号').fill(phone);
  if (role !== 'STAFF') await choose(page, '角色', { STAFF: '社区工作人员', ORGANIZER: '组织者', ADMIN: '管理员' }[role]);
  if (communityName) await choose(page, '社区', communityName);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('link', { name: '审批' })).toBeVisible();
  return phone;
}

/** Picks an option of an Element Plus select found by its accessible name. */
export async function choose(page, selectName, optionText) {
  // The combobox input sits under the select's visible box, which takes the click.
  await page.locator('.el-select', { has: page.getByRole('combobox', { name: selectName }) }).click();
  await page.getByRole('option', { name: optionText, exact: true }).click();
}

export async function expectAccessible(page) {
  // Contrast is judged on the page at rest, not on a dialog half-way through fading in.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  expect(serious.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ") + " " + n.failureSummary).join(", ")}`)).toEqual([]);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}
