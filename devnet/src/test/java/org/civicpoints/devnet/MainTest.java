package org.civicpoints.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's arguments, and the organisation layout Fabric tools expect. */
class MainTest {

  @TempDir Path dataDir;

  @Test
  void rejects_a_missing_data_directory() {
    assertThatThrownBy(() -> Main.parse(new String[] {"--port", "7051"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--data");
    assertThat(Main.parse(new String[] {"--data", "x", "--port", "7051"}).port()).isEqualTo(7051);
  }

  @Test
  void creates_the_organisation_in_the_layout_fabric_tools_use() throws Exception {
    Organization organization = Msp.loadOrCreate(dataDir).organization();
    Path msp = dataDir.resolve("organizations/CivicMSP");

    assertThat(organization.mspId()).isEqualTo("CivicMSP");
    assertThat(organization.caCertificate()).isEqualTo(msp.resolve("cacerts/ca.pem")).exists();
    assertThat(organization.tlsCaCertificate())
        .isEqualTo(msp.resolve("tlscacerts/tlsca.pem"))
        .exists();
    for (String user : List.of("relay", "admin", "reader")) {
      Path userMsp = msp.resolve("users").resolve(user).resolve("msp");
      assertThat(organization.user(user).certificate())
          .isEqualTo(userMsp.resolve("signcerts/cert.pem"))
          .exists();
      assertThat(organization.user(user).privateKey())
          .isEqualTo(userMsp.resolve("keystore/key.pem"));
      assertThat(Files.readString(userMsp.resolve("keystore/key.pem")))
          .startsWith("-----BEGIN PRIVATE KEY-----");
    }
    X509Certificate ca = Pem.readCertificate(organization.caCertificate());
    X509Certificate relay = Pem.readCertificate(organization.user("relay").certificate());
    relay.verify(ca.getPublicKey());
    assertThat(attributes(relay))
        .contains("\"civic.role\":\"ledger-writer\"")
        .contains("\"hf.EnrollmentID\":\"relay\"");
    assertThat(attributes(Pem.readCertificate(organization.user("admin").certificate())))
        .contains("\"civic.role\":\"rules-admin\"");
    assertThat(attributes(Pem.readCertificate(organization.user("reader").certificate())))
        .doesNotContain("civic.role")
        .contains("\"hf.EnrollmentID\":\"reader\"");
  }

  @Test
  void the_peer_tls_certificate_names_localhost_and_the_loopback_address() throws Exception {
    Msp msp = Msp.loadOrCreate(dataDir);
    X509Certificate tls = Pem.readCertificate(msp.peerTlsCertificate());

    tls.verify(Pem.readCertificate(msp.organization().tlsCaCertificate()).getPublicKey());
    List<String> names =
        tls.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList();
    assertThat(names).containsExactlyInAnyOrder("localhost", "127.0.0.1");
  }

  @Test
  void a_later_start_reuses_the_organisation() throws Exception {
    Organization first = Msp.loadOrCreate(dataDir).organization();
    String caBefore = Files.readString(first.caCertificate());
    String keyBefore = Files.readString(first.user("relay").privateKey());

    Organization second = Msp.loadOrCreate(dataDir).organization();

    assertThat(Files.readString(second.caCertificate())).isEqualTo(caBefore);
    assertThat(Files.readString(second.user("relay").privateKey())).isEqualTo(keyBefore);
  }

  private static String attributes(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue("1.2.3.4.5.6.7.8.1");
    return new String(ASN1OctetString.getInstance(extension).getOctets(), StandardCharsets.UTF_8);
  }
}
