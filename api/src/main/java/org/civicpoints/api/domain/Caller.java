package org.civicpoints.api.domain;

import java.util.Set;

/**
 * Who is calling, as proven by a verified access token, seen in the org tree of the moment (so a
 * street scope covers the communities the street has now).
 */
public record Caller(String memberId, Set<Role> roles, Set<String> scopes, OrgTree tree) {

  public Caller {
    roles = Set.copyOf(roles);
    scopes = Set.copyOf(scopes);
  }

  public Caller(String memberId, Set<Role> roles, Set<String> scopes) {
    this(memberId, roles, scopes, OrgTree.FLAT);
  }

  public Caller within(OrgTree current) {
    return new Caller(memberId, roles, scopes, current);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return has(Role.ADMIN);
  }

  /**
   * Staff act on the communities of their scopes: a community scope, or a street or district scope
   * for every community below it; admins on every community.
   */
  public boolean staffsCommunity(String communityId) {
    return isAdmin()
        || (has(Role.STAFF)
            && tree.scopesCovering(communityId).stream().anyMatch(scopes::contains));
  }

  /** A branch secretary (STAFF scoped to a party branch) acts on that branch's memberships. */
  public boolean staffsBranch(String branchId) {
    return isAdmin() || (has(Role.STAFF) && scopes.contains(Scopes.branch(branchId)));
  }
}
