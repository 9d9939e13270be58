package org.civicpoints.api.domain;

/** A circle around an activity's place; check-ins with a location must fall inside it. */
public record GeoFence(double lat, double lng, int radiusMeters) {

  private static final double EARTH_RADIUS_METERS = 6_371_000;

  public boolean contains(double otherLat, double otherLng) {
    return distanceMeters(otherLat, otherLng) <= radiusMeters;
  }

  /** Haversine distance from the centre: exact enough for a city. */
  public double distanceMeters(double otherLat, double otherLng) {
    double dLat = Math.toRadians(otherLat - lat);
    double dLng = Math.toRadians(otherLng - lng);
    double a =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(lat))
                * Math.cos(Math.toRadians(otherLat))
                * Math.sin(dLng / 2)
                * Math.sin(dLng / 2);
    return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
  }
}
