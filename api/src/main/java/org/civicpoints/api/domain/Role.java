package org.civicpoints.api.domain;

public enum Role {
  RESIDENT,
  PARTY_MEMBER,
  STAFF,
  ORGANIZER,
  ADMIN
}
