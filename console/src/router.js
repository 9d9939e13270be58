import { createRouter, createWebHistory } from 'vue-router';
import { isSignedIn, restoreSession } from './session.js';

const routes = [
  { path: '/', redirect: { name: 'approvals' } },
  {
    path: '/signin',
    name: 'signin',
    component: () => import('./views/signin/SignInView.vue'),
    meta: { public: true },
  },
  {
    path: '/approvals',
    name: 'approvals',
    component: () => import('./views/approvals/ApprovalsView.vue'),
  },
  { path: '/rules', name: 'rules', component: () => import('./views/rules/RulesView.vue') },
  { path: '/ledger', name: 'ledger', component: () => import('./views/ledger/LedgerView.vue') },
  { path: '/audit', name: 'audit', component: () => import('./views/audit/AuditView.vue') },
  {
    path: '/activities',
    name: 'activities',
    component: () => import('./views/activities/ActivitiesView.vue'),
  },
  {
    path: '/members',
    name: 'members',
    component: () => import('./views/members/MembersView.vue'),
    meta: { roles: ['STAFF', 'ADMIN'] },
  },
  {
    path: '/leaderboards',
    name: 'leaderboards',
    component: () => import('./views/leaderboards/LeaderboardsView.vue'),
  },
  // meta.roles: who may use the screen; others see a not-allowed state (AppShell), and the API
  // refuses them anyway.
  {
    path: '/comparison',
    name: 'comparison',
    component: () => import('./views/comparison/ComparisonView.vue'),
    meta: { roles: ['ORGANIZER', 'ADMIN'] },
  },
  {
    path: '/exports',
    name: 'exports',
    component: () => import('./views/exports/ExportsView.vue'),
    meta: { roles: ['ORGANIZER', 'ADMIN'] },
  },
  {
    path: '/org-units',
    name: 'orgUnits',
    component: () => import('./views/orgunits/OrgUnitsView.vue'),
    meta: { roles: ['ADMIN'] },
  },
  {
    path: '/access',
    name: 'access',
    component: () => import('./views/roles/RolesView.vue'),
    meta: { roles: ['ADMIN'] },
  },
  { path: '/:rest(.*)*', redirect: { name: 'approvals' } },
];

export const router = createRouter({ history: createWebHistory('/console/'), routes });

// A page that needs a session sends the visitor to sign in and back to where they were going.
// The first navigation of a page load tries the session cookie first.
router.beforeEach(async (to) => {
  if (!to.meta.public && !isSignedIn() && !(await restoreSession())) {
    return { name: 'signin', query: { next: to.fullPath } };
  }
  return true;
});
