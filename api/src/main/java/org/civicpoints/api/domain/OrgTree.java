package org.civicpoints.api.domain;

import java.util.Set;

/** Where a community sits in the city: the scopes that cover it. */
public interface OrgTree {

  /** A tree that knows no streets or districts: a community is covered by its own scope only. */
  OrgTree FLAT = communityId -> Set.of(Scopes.community(communityId));

  /** The scopes of the community itself, of its street and of its district. */
  Set<String> scopesCovering(String communityId);
}
