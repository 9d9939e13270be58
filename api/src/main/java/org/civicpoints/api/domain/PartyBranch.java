package org.civicpoints.api.domain;

public record PartyBranch(String branchId, String name, String committeeId, String committeeName) {}
