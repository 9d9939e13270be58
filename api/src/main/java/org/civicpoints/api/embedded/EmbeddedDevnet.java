package org.civicpoints.api.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.civicpoints.api.config.FabricConfig;
import org.civicpoints.devnet.Devnet;
import org.civicpoints.devnet.DevnetConfig;
import org.civicpoints.devnet.Organization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev-only ledger: a single-peer Fabric devnet in this JVM, its files in DATA_DIR/devnet in the
 * layout the standalone devnet writes under --data. The API then connects to it with the
 * fabric-gateway client exactly as to any peer, using the settings {@link #clientSettings()} gives.
 */
public final class EmbeddedDevnet {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDevnet.class);

  /**
   * The devnet's user enrolled with civic.role=ledger-writer: the identity the relay writes with.
   */
  private static final String LEDGER_WRITER = "relay";

  /**
   * The devnet's user enrolled with civic.role=rules-admin: the identity rule changes are signed
   * with.
   */
  private static final String RULES_ADMIN = "admin";

  private final Devnet devnet;
  private final FabricConfig requested;

  private EmbeddedDevnet(Devnet devnet, FabricConfig requested) {
    this.devnet = devnet;
    this.requested = requested;
  }

  /** Blocking: creates or reopens the devnet and serves it on 127.0.0.1:devnetPort. */
  public static EmbeddedDevnet start(Path dataDir, FabricConfig fabric) {
    Path directory = dataDir.resolve("devnet").toAbsolutePath();
    DevnetConfig config =
        new DevnetConfig(
            directory,
            fabric.devnetPort(),
            fabric.channel(),
            fabric.chaincode(),
            DevnetConfig.DEFAULT_MAX_TX_PER_BLOCK,
            DevnetConfig.DEFAULT_BATCH_TIMEOUT);
    try {
      Devnet devnet = Devnet.start(config);
      LOG.info(
          "Embedded Fabric devnet (channel {}, chaincode {}) on {}, data in {}",
          fabric.channel(),
          fabric.chaincode(),
          devnet.endpoint(),
          directory);
      return new EmbeddedDevnet(devnet, fabric);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded devnet in " + directory, e);
    }
  }

  /** What a client needs to reach this devnet, in the shape production settings have. */
  public FabricConfig clientSettings() {
    Organization organization = devnet.organization();
    Organization.User writer = organization.user(LEDGER_WRITER);
    Organization.User rulesAdmin = organization.user(RULES_ADMIN);
    return new FabricConfig(
        Optional.of(devnet.endpoint()),
        Optional.of(organization.mspId()),
        Optional.of(writer.certificate()),
        Optional.of(writer.privateKey()),
        Optional.of(organization.tlsCaCertificate()),
        Optional.of(rulesAdmin.certificate()),
        Optional.of(rulesAdmin.privateKey()),
        requested.channel(),
        requested.chaincode(),
        devnet.port());
  }

  /** Blocking: stops serving and closes the block log. */
  public void stop() {
    devnet.close();
  }
}
