package org.civicpoints.api.domain;

import java.util.Set;

/** Who is calling, as proven by a verified access token. */
public record Caller(String memberId, Set<Role> roles, Set<String> scopes) {

  public Caller {
    roles = Set.copyOf(roles);
    scopes = Set.copyOf(scopes);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return has(Role.ADMIN);
  }

  /** Staff act on the communities in their scope; admins on every community. */
  public boolean staffsCommunity(String communityId) {
    return isAdmin() || (has(Role.STAFF) && scopes.contains(Scopes.community(communityId)));
  }
}
