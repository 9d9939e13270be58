package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.Map;
import org.civicpoints.chaincode.PointsChaincodeServer.ServerSettings;
import org.hyperledger.fabric.shim.ChaincodeServerProperties;
import org.junit.jupiter.api.Test;

class PointsChaincodeServerTest {

  @Test
  void reads_address_id_and_tls_files() {
    final ServerSettings settings =
        ServerSettings.from(
            Map.of(
                "CHAINCODE_SERVER_ADDRESS",
                "0.0.0.0:9999",
                "CHAINCODE_ID",
                "points_1.0:abc",
                "CHAINCODE_TLS_KEY",
                "/tls/key.pem",
                "CHAINCODE_TLS_CERT",
                "/tls/cert.pem",
                "CHAINCODE_CLIENT_CA_CERT",
                "/tls/ca.pem"));

    final ChaincodeServerProperties properties = settings.serverProperties();
    assertThat(settings.chaincodeId()).isEqualTo("points_1.0:abc");
    assertThat(((InetSocketAddress) properties.getServerAddress()).getPort()).isEqualTo(9999);
    assertThat(properties.isTlsEnabled()).isTrue();
    assertThat(properties.getKeyFile()).isEqualTo("/tls/key.pem");
    assertThat(properties.getKeyCertChainFile()).isEqualTo("/tls/cert.pem");
    assertThat(properties.getTrustCertCollectionFile()).isEqualTo("/tls/ca.pem");
  }

  @Test
  void tls_can_be_disabled_for_a_development_network() {
    final ServerSettings settings =
        ServerSettings.from(
            Map.of(
                "CHAINCODE_SERVER_ADDRESS",
                "points:9999",
                "CHAINCODE_ID",
                "points_1.0:abc",
                "CHAINCODE_TLS_DISABLED",
                "true"));

    assertThat(settings.serverProperties().isTlsEnabled()).isFalse();
    assertThat(settings.host()).isEqualTo("points");
  }

  @Test
  void missing_or_malformed_settings_are_named() {
    assertThatThrownBy(() -> ServerSettings.from(Map.of("CHAINCODE_ID", "x")))
        .hasMessage("CHAINCODE_SERVER_ADDRESS is not set");
    assertThatThrownBy(
            () -> ServerSettings.from(Map.of("CHAINCODE_SERVER_ADDRESS", "0.0.0.0:9999")))
        .hasMessage("CHAINCODE_ID is not set");
    assertThatThrownBy(
            () ->
                ServerSettings.from(
                    Map.of("CHAINCODE_SERVER_ADDRESS", "9999", "CHAINCODE_ID", "x")))
        .hasMessage("CHAINCODE_SERVER_ADDRESS must be host:port, not 9999");
    assertThatThrownBy(
            () ->
                ServerSettings.from(
                    Map.of("CHAINCODE_SERVER_ADDRESS", "h:99999", "CHAINCODE_ID", "x")))
        .hasMessage("CHAINCODE_SERVER_ADDRESS port must be 1..65535, not 99999");
    assertThatThrownBy(
            () ->
                ServerSettings.from(
                    Map.of("CHAINCODE_SERVER_ADDRESS", "h:9999", "CHAINCODE_ID", "x")))
        .hasMessage("CHAINCODE_TLS_KEY is not set (or set CHAINCODE_TLS_DISABLED=true)");
  }
}
