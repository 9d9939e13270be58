// Who is signed in. The access token lives in memory only; the refresh token is an HttpOnly cookie
// (`X-Session-Transport: cookie`) that page script never sees, so a reload restores the session
// with one refresh and nothing a script could steal is kept in storage.
import { reactive } from 'vue';
import { call, configureClient, ApiProblem } from './api.js';
import { i18n } from './i18n.js';
import { router } from './router.js';

export const session = reactive({ accessToken: null, member: null });

const COOKIE = { 'X-Session-Transport': 'cookie' };
let refreshing = null;
let restoring = null;

configureClient({
  accessToken: () => session.accessToken,
  refresh,
  expired: () => returnToSignIn(),
  language: () => i18n.global.locale.value,
});

export async function signInForDevelopment(form) {
  adopt(await call('signInForDevelopment', { body: form, headers: COOKIE, authenticated: false }));
}

/** Exchanges a Firebase ID token for the API's own session. */
export async function signInWithFirebase(idToken) {
  adopt(await call('signInWithFirebase', { body: { idToken }, headers: COOKIE, authenticated: false }));
}

export async function signOut() {
  clear();
  await call('logout', { headers: COOKIE, authenticated: false });
}

export function isSignedIn() {
  return session.accessToken !== null;
}

/** On page load: the cookie (if any) brings the session back; asked once per page. */
export async function restoreSession() {
  restoring ??= refresh();
  await restoring;
  return isSignedIn();
}

export function hasRole(...roles) {
  return roles.some((role) => session.member?.roles.includes(role));
}

/** The communities a staff member's scopes name (`community:<id>`). */
export function scopedCommunityIds() {
  return (session.member?.scopes || [])
    .filter((scope) => scope.startsWith('community:'))
    .map((scope) => scope.slice('community:'.length));
}

/**
 * One refresh at a time: calls failing together share it, and other tabs wait for it (a second
 * refresh with the same cookie would look like a stolen token and end the sign-in everywhere).
 */
function refresh() {
  refreshing ??= withLock(refreshOnce).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function withLock(work) {
  return navigator.locks ? navigator.locks.request('civic-points-refresh', work) : work();
}

async function refreshOnce() {
  try {
    adopt(await call('refreshSession', { headers: COOKIE, authenticated: false }));
    return true;
  } catch (failure) {
    if (!(failure instanceof ApiProblem)) throw failure;
    clear();
    return false;
  }
}

function returnToSignIn() {
  clear();
  const here = router.currentRoute.value;
  if (here.name !== 'signin') router.push({ name: 'signin', query: { next: here.fullPath } });
}

function adopt(answer) {
  session.accessToken = answer.accessToken;
  session.member = answer.member;
}

function clear() {
  session.accessToken = null;
  session.member = null;
}
