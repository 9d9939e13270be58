package org.civicpoints.api.config;

import java.util.List;
import java.util.Optional;

/**
 * The web console's settings: the origins besides the server's own from which it may refresh and
 * sign out with the session cookie, and the public parts of the Firebase web app it signs in with
 * (a Firebase web API key identifies the project; it is not a secret).
 */
public record ConsoleConfig(
    List<String> allowedOrigins,
    Optional<String> firebaseWebApiKey,
    Optional<String> firebaseAuthDomain) {

  public ConsoleConfig {
    allowedOrigins = List.copyOf(allowedOrigins);
  }
}
