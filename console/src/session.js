// Who is signed in. The access token lives in memory only: a reload signs in again.
import { reactive } from 'vue';
import { call, configureClient, ApiProblem } from './api.js';
import { i18n } from './i18n.js';
import { router } from './router.js';

export const session = reactive({ accessToken: null, refreshToken: null, member: null });

configureClient({
  accessToken: () => session.accessToken,
  refresh,
  expired: () => returnToSignIn(),
  language: () => i18n.global.locale.value,
});

export async function signInForDevelopment(form) {
  adopt(await call('signInForDevelopment', { body: form, authenticated: false }));
}

export async function signOut() {
  const refreshToken = session.refreshToken;
  clear();
  if (refreshToken) await call('logout', { body: { refreshToken }, authenticated: false });
}

export function isSignedIn() {
  return session.accessToken !== null;
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

async function refresh() {
  if (!session.refreshToken) return false;
  try {
    const body = { refreshToken: session.refreshToken };
    adopt(await call('refreshSession', { body, authenticated: false }));
    return true;
  } catch (failure) {
    if (!(failure instanceof ApiProblem)) throw failure;
    clear();
    return false;
  }
}

function returnToSignIn() {
  clear();
  router.push({ name: 'signin', query: { next: router.currentRoute.value.fullPath } });
}

function adopt(answer) {
  session.accessToken = answer.accessToken;
  session.refreshToken = answer.refreshToken;
  session.member = answer.member;
}

function clear() {
  session.accessToken = null;
  session.refreshToken = null;
  session.member = null;
}
