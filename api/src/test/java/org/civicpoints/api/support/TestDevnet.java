package org.civicpoints.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.civicpoints.devnet.Devnet;
import org.civicpoints.devnet.DevnetConfig;
import org.civicpoints.devnet.Organization;

/**
 * A devnet the test owns, reached by the API through FABRIC_* settings as a production peer would
 * be.
 */
public final class TestDevnet implements AutoCloseable {

  public final Devnet devnet;

  private TestDevnet(Devnet devnet) {
    this.devnet = devnet;
  }

  public static TestDevnet start() {
    try {
      return new TestDevnet(
          Devnet.start(DevnetConfig.of(TestApi.temporaryDirectory().resolve("devnet"), 0)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * FABRIC_* settings for the devnet's ledger-writer user, and its rules-admin user for rule
   * changes.
   */
  public Map<String, String> settings() {
    Organization organization = devnet.organization();
    Organization.User relay = organization.user("relay");
    Map<String, String> settings = new HashMap<>();
    settings.put("FABRIC_PEER_ENDPOINT", devnet.endpoint());
    settings.put("FABRIC_MSP_ID", organization.mspId());
    settings.put("FABRIC_CERT", relay.certificate().toString());
    settings.put("FABRIC_KEY", relay.privateKey().toString());
    settings.put("FABRIC_TLS_CA", organization.tlsCaCertificate().toString());
    Organization.User rulesAdmin = organization.user("admin");
    settings.put("FABRIC_RULES_CERT", rulesAdmin.certificate().toString());
    settings.put("FABRIC_RULES_KEY", rulesAdmin.privateKey().toString());
    return settings;
  }

  @Override
  public void close() {
    devnet.close();
  }
}
