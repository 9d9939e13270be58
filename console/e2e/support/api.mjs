// What the other people in a test do through the API itself: an admin's rule, staff's activity,
// residents' claims. The console is only ever driven through the browser.
import { randomInt } from 'node:crypto';

export const baseUrl = () => process.env.API_BASE_URL;

// Tests find a member's row by the last four digits the masked phone shows, so no two phones
// made in one run share them (a shared ending made a members test see two rows).
const endingsInUse = new Set();

export function randomPhone() {
  let ending;
  do ending = String(randomInt(0, 10_000)).padStart(4, '0');
  while (endingsInUse.has(ending));
  endingsInUse.add(ending);
  return `+86139${String(randomInt(0, 10_000)).padStart(4, '0')}${ending}`;
}

export async function api(method, path, { token, body, headers = {} } = {}) {
  const response = await fetch(`${baseUrl()}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function signIn(roles, communityId, phone = randomPhone()) {
  const session = await api('POST', '/v1/auth/dev', { body: { phone, roles, communityId } });
  return { phone, token: session.accessToken, memberId: session.member.memberId };
}

export async function firstCommunities(count) {
  return (await api('GET', '/v1/communities')).items.slice(0, count);
}

/** A rule, and a two-hour activity two days ago (the same date in UTC and in Beijing). */
export async function pastActivity(staff, communityId, title) {
  const admin = await signIn(['ADMIN'], communityId);
  const rule = await api('POST', '/v1/point-rules', {
    token: admin.token,
    body: { category: 'VOLUNTEER', points: 10, dailyCap: 0, yearlyCap: 0, title: 'Volunteer hour' },
  });
  await until(async () => (await api('GET', `/v1/point-rules/${rule.ruleId}`, { token: admin.token })).ledgerState === 'DONE');
  const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  const activity = await api('POST', '/v1/activities', {
    token: staff.token,
    body: {
      communityId, type: 'VOLUNTEER', title, ruleId: rule.ruleId, checkIn: 'NONE',
      startsAt: `${day}T02:00:00Z`, endsAt: `${day}T04:00:00Z`,
    },
  });
  return { activityId: activity.activityId, day };
}

/** A new resident of the community who enrolls and claims one unit of the activity. */
export async function residentClaims(communityId, activity, evidence = { note: '清理了公园的落叶' }) {
  const resident = await signIn([], communityId);
  await api('POST', `/v1/activities/${activity.activityId}/enrollments`, { token: resident.token });
  return { ...resident, submissionId: await claim(resident, activity, evidence) };
}

/** The member claims one unit of the activity on its day; answers the submission's id. */
export async function claim(member, activity, evidence = { note: '清理了公园的落叶' }) {
  const created = await api('POST', '/v1/submissions', {
    token: member.token,
    headers: { 'Idempotency-Key': `e2e-${randomInt(0, 2 ** 40)}` },
    body: { activityId: activity.activityId, occurredOn: activity.day, units: 1, evidence },
  });
  return created.submissionId;
}

/** Today's date in Beijing, as claims name the day. */
export function beijingToday() {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export async function submission(token, submissionId) {
  return api('GET', `/v1/submissions/${submissionId}`, { token });
}

/** Polls every 250 ms until the condition holds, failing after the timeout. */
export async function until(condition, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms: ${condition}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

/** An admin's new active rule of the category, once the ledger has it (ledgerState DONE). */
export async function activeRule(communityId, title, category = 'VOLUNTEER') {
  const admin = await signIn(['ADMIN'], communityId);
  const rule = await api('POST', '/v1/point-rules', {
    token: admin.token,
    body: { category, points: 10, dailyCap: 0, yearlyCap: 0, title },
  });
  await until(async () => (await api('GET', `/v1/point-rules/${rule.ruleId}`, { token: admin.token })).ledgerState === 'DONE');
  return { ...rule, title, category };
}

/** The date and time a moment shows in Beijing, as the console's date pickers take it. */
export function beijing(moment) {
  return new Date(moment.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
