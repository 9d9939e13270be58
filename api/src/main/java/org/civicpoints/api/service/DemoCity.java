package org.civicpoints.api.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The demo city dev servers import at start (demo-city.csv, in the format of {@code POST
 * /v1/org-units/imports}): two districts, each with two streets of two communities, and a city
 * party committee with one branch per district. Production servers never import it.
 */
public final class DemoCity {

  private static final String RESOURCE = "org/civicpoints/api/demo-city.csv";

  private DemoCity() {}

  public static byte[] csv() {
    try (InputStream in = DemoCity.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }

  /** The demo units keep their codes as ids, which the examples, tests and Postman name. */
  public static String idOf(String code) {
    return code;
  }
}
