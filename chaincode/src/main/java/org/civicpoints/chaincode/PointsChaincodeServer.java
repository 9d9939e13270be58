package org.civicpoints.chaincode;

import java.net.InetSocketAddress;
import java.util.Map;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.ChaincodeServerProperties;
import org.hyperledger.fabric.shim.NettyChaincodeServer;

/**
 * Runs the points contract as a chaincode service (Fabric's ccaas builder): the peer connects to us
 * at {@code CHAINCODE_SERVER_ADDRESS}, and {@code CHAINCODE_ID} is the installed package id. TLS
 * follows fabric-samples: on unless {@code CHAINCODE_TLS_DISABLED=true}, with {@code
 * CHAINCODE_TLS_KEY}, {@code CHAINCODE_TLS_CERT} and optionally {@code CHAINCODE_CLIENT_CA_CERT}
 * (mutual TLS) as file paths.
 */
public final class PointsChaincodeServer {

  private PointsChaincodeServer() {}

  public static void main(final String[] args) throws Exception {
    final ServerSettings settings;
    try {
      settings = ServerSettings.from(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("points chaincode cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    final ContractRouter router = new ContractRouter(new String[] {"--id", settings.chaincodeId()});
    final ChaincodeServer server = new NettyChaincodeServer(router, settings.serverProperties());
    router.startRouterWithChaincodeServer(server);
  }

  /** The environment the service needs, read once; every missing or malformed value is named. */
  record ServerSettings(
      String chaincodeId,
      String host,
      int port,
      boolean tls,
      String keyFile,
      String certFile,
      String clientCaFile) {

    static ServerSettings from(final Map<String, String> env) {
      final String address = required(env, "CHAINCODE_SERVER_ADDRESS");
      final String chaincodeId = required(env, "CHAINCODE_ID");
      final int colon = address.lastIndexOf(':');
      if (colon <= 0 || colon == address.length() - 1) {
        throw new IllegalArgumentException(
            "CHAINCODE_SERVER_ADDRESS must be host:port, not " + address);
      }
      final int port = port(address.substring(colon + 1));
      final boolean tls =
          !"true".equalsIgnoreCase(env.getOrDefault("CHAINCODE_TLS_DISABLED", "false"));
      if (!tls) {
        return new ServerSettings(
            chaincodeId, address.substring(0, colon), port, false, null, null, null);
      }
      return new ServerSettings(
          chaincodeId,
          address.substring(0, colon),
          port,
          true,
          required(env, "CHAINCODE_TLS_KEY"),
          required(env, "CHAINCODE_TLS_CERT"),
          env.get("CHAINCODE_CLIENT_CA_CERT"));
    }

    ChaincodeServerProperties serverProperties() {
      final ChaincodeServerProperties properties = new ChaincodeServerProperties();
      properties.setServerAddress(new InetSocketAddress(host, port));
      properties.setTlsEnabled(tls);
      if (tls) {
        properties.setKeyFile(keyFile);
        properties.setKeyCertChainFile(certFile);
        if (clientCaFile != null && !clientCaFile.isBlank()) {
          properties.setTrustCertCollectionFile(clientCaFile);
        }
      }
      return properties;
    }

    private static String required(final Map<String, String> env, final String name) {
      final String value = env.get(name);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(
            name
                + " is not set"
                + ("CHAINCODE_TLS_KEY".equals(name) || "CHAINCODE_TLS_CERT".equals(name)
                    ? " (or set CHAINCODE_TLS_DISABLED=true)"
                    : ""));
      }
      return value.trim();
    }

    private static int port(final String text) {
      try {
        final int port = Integer.parseInt(text);
        if (port >= 1 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // Falls through to the one message for every unusable port.
      }
      throw new IllegalArgumentException(
          "CHAINCODE_SERVER_ADDRESS port must be 1..65535, not " + text);
    }
  }
}
