package org.civicpoints.api.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Firebase Admin settings. No project id means Firebase sign-in is off (dev sign-in only). Without
 * a credentials file the Admin SDK falls back to application default credentials; an emulator host
 * (tests, local work) replaces both.
 */
public record FirebaseConfig(
    Optional<String> projectId, Optional<Path> credentialsFile, Optional<String> authEmulatorHost) {

  public boolean enabled() {
    return projectId.isPresent();
  }
}
