package org.civicpoints.api.firebase;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.UUID;
import org.civicpoints.api.config.FirebaseConfig;

/** How the Firebase clients start their Admin SDK app from config. */
final class FirebaseApps {

  private FirebaseApps() {}

  /** The configured project with its credentials. Blocking (reads the credentials file). */
  static FirebaseOptions options(FirebaseConfig config) {
    return FirebaseOptions.builder()
        .setProjectId(config.projectId().orElseThrow())
        .setCredentials(credentials(config))
        .build();
  }

  /** A unique name after {@code prefix} lets several API instances (tests) live in one JVM. */
  static FirebaseApp start(FirebaseOptions options, String prefix) {
    return FirebaseApp.initializeApp(options, prefix + UUID.randomUUID());
  }

  private static GoogleCredentials credentials(FirebaseConfig config) {
    if (config.authEmulatorHost().isPresent()) {
      // The emulator accepts any credentials; a fixed token keeps the SDK from looking for real
      // ones.
      return GoogleCredentials.create(new AccessToken("owner", null));
    }
    try {
      if (config.credentialsFile().isPresent()) {
        try (InputStream in = Files.newInputStream(config.credentialsFile().get())) {
          return GoogleCredentials.fromStream(in);
        }
      }
      return GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot load Google credentials for Firebase", e);
    }
  }
}
