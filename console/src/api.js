// The one client of the API. Every call names the contract's operationId; the table below is
// checked against mobile-contracts/openapi.yaml by scripts/check-client.mjs in the build.
export const operations = {
  signInForDevelopment: ['POST', '/v1/auth/dev'],
  signInWithFirebase: ['POST', '/v1/auth/firebase'],
  refreshSession: ['POST', '/v1/auth/refresh'],
  logout: ['POST', '/v1/auth/logout'],
  getConsoleSettings: ['GET', '/v1/console/settings'],
  listCommunities: ['GET', '/v1/communities'],
  listMembers: ['GET', '/v1/members'],
  listActivities: ['GET', '/v1/activities'],
  listSubmissions: ['GET', '/v1/submissions'],
  approveSubmission: ['POST', '/v1/submissions/{submissionId}/approve'],
  rejectSubmission: ['POST', '/v1/submissions/{submissionId}/reject'],
  batchApproveSubmissions: ['POST', '/v1/submissions/batch-approve'],
  getSubmission: ['GET', '/v1/submissions/{submissionId}'],
  reverseSubmission: ['POST', '/v1/submissions/{submissionId}/reverse'],
  getSubmissionReceipt: ['GET', '/v1/submissions/{submissionId}/receipt'],
  listPartyBranches: ['GET', '/v1/party-branches'],
  verifyPartyMembership: ['POST', '/v1/members/{memberId}/party-membership'],
  registerAssistedResident: ['POST', '/v1/assisted-residents'],
  listCommunityChangeRequests: ['GET', '/v1/community-change-requests'],
  decideCommunityChange: ['POST', '/v1/community-change-requests/{requestId}/decision'],
  listPointRules: ['GET', '/v1/point-rules'],
  createPointRule: ['POST', '/v1/point-rules'],
  changePointRule: ['PATCH', '/v1/point-rules/{ruleId}'],
  getLedgerStatus: ['GET', '/v1/ledger/status'],
  listAudit: ['GET', '/v1/audit'],
  createActivity: ['POST', '/v1/activities'],
  changeActivity: ['PATCH', '/v1/activities/{activityId}'],
  cancelActivity: ['POST', '/v1/activities/{activityId}/cancel'],
  getCheckInCode: ['GET', '/v1/activities/{activityId}/check-in-code'],
  listAttendance: ['GET', '/v1/activities/{activityId}/attendance'],
  getLeaderboard: ['GET', '/v1/leaderboards'],
  getLeaderboardTrend: ['GET', '/v1/leaderboards/trend'],
  exportLeaderboard: ['GET', '/v1/leaderboards/export'],
  compareCommunities: ['GET', '/v1/leaderboards/communities'],
  listLeaderboardExports: ['GET', '/v1/leaderboards/exports'],
  listPartyBranches: ['GET', '/v1/party-branches'],
  listOrgUnits: ['GET', '/v1/org-units'],
  createOrgUnit: ['POST', '/v1/org-units'],
  updateOrgUnit: ['PATCH', '/v1/org-units/{orgUnitId}'],
  retireOrgUnit: ['POST', '/v1/org-units/{orgUnitId}/retire'],
  importOrgUnits: ['POST', '/v1/org-units/imports'],
  grantRole: ['POST', '/v1/members/{memberId}/roles'],
  revokeRole: ['DELETE', '/v1/members/{memberId}/roles/{role}'],
  revokeScope: ['DELETE', '/v1/members/{memberId}/scopes/{scope}'],
};

/** An answer the API gave as application/problem+json (RFC 9457). */
export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code;
    this.problem = problem;
  }
}

const auth = {
  accessToken: () => null,
  refresh: async () => false,
  expired: () => {},
  language: () => 'zh-CN',
};

/** Lets the session store lend the client its token, its refresh and its sign-out. */
export function configureClient(hooks) {
  Object.assign(auth, hooks);
}

/** Calls an operation; a 401 refreshes the session once and retries. */
export async function call(operationId, request = {}) {
  const response = await send(operationId, request);
  if (response.status !== 401 || request.authenticated === false) {
    return read(response);
  }
  if (await auth.refresh()) {
    return read(await send(operationId, request));
  }
  auth.expired();
  return read(response);
}

// `contentType` sends `body` as it is (a CSV file's text); without it the body is JSON.
function send(operationId, { path = {}, query = {}, body, contentType, headers: extra = {}, authenticated = true }) {
  const [method, template] = operations[operationId];
  const headers = { Accept: 'application/json', 'Accept-Language': auth.language(), ...extra };
  const token = authenticated ? auth.accessToken() : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = contentType || 'application/json';
  return fetch(url(template, path, query), {
    method,
    headers,
    body: body === undefined || contentType ? body : JSON.stringify(body),
    credentials: 'same-origin',
  });
}

function url(template, path, query) {
  const filled = template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(path[name]));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.append(name, value);
  }
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}

async function read(response) {
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new ApiProblem(response.status, typeof body === 'object' ? body : null);
  return body;
}

/** Downloads an operation's file answer (an export) as a blob, with the same auth as `call`. */
export async function callForFile(operationId, request = {}) {
  let response = await send(operationId, request);
  if (response.status === 401) {
    if (await auth.refresh()) response = await send(operationId, request);
    else auth.expired();
  }
  if (!response.ok) return read(response);
  return response.blob();
}
