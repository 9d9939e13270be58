package org.civicpoints.api.domain;

import java.time.Instant;
import java.util.Set;

/**
 * Who is calling, as proven by a verified access token, seen in the org tree of the moment (so a
 * street scope covers the communities the street has now). {@code authTime} is when the person last
 * proved who they are (the token's {@code auth_time}), null when the token does not say.
 */
public record Caller(
    String memberId, Set<Role> roles, Set<String> scopes, OrgTree tree, Instant authTime) {

  public Caller {
    roles = Set.copyOf(roles);
    scopes = Set.copyOf(scopes);
  }

  public Caller(String memberId, Set<Role> roles, Set<String> scopes, OrgTree tree) {
    this(memberId, roles, scopes, tree, null);
  }

  public Caller(String memberId, Set<Role> roles, Set<String> scopes) {
    this(memberId, roles, scopes, OrgTree.FLAT);
  }

  public Caller within(OrgTree current) {
    return new Caller(memberId, roles, scopes, current, authTime);
  }

  /** Whether the person proved who they are at or after {@code since}. */
  public boolean authenticatedSince(Instant since) {
    return authTime != null && !authTime.isBefore(since);
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
