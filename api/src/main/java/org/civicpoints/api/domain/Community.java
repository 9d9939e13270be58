package org.civicpoints.api.domain;

public record Community(
    String communityId,
    String name,
    String streetId,
    String streetName,
    String districtId,
    String districtName) {}
