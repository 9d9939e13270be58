package org.civicpoints.devnet;

import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Where a devnet's organisation keeps its credentials, in the layout Fabric tools use. Clients read
 * the TLS CA to trust the peer and a user's certificate and key to sign.
 *
 * @param mspId the organisation's MSP id, {@code CivicMSP}
 * @param mspDir {@code DIR/organizations/CivicMSP}
 * @param caCertificate the signing CA every user and the peer chain to
 * @param tlsCaCertificate the CA of the peer's TLS certificate
 * @param users the enrolled users by name: relay, admin, reader
 */
public record Organization(
    String mspId, Path mspDir, Path caCertificate, Path tlsCaCertificate, Map<String, User> users) {

  public Organization {
    users = Map.copyOf(users);
  }

  /** A user's signing certificate and PKCS#8 EC P-256 private key, both PEM. */
  public record User(String name, Path certificate, Path privateKey) {}

  public User user(String name) {
    User user = users.get(name);
    if (user == null) {
      throw new NoSuchElementException(
          "no user " + name + " in " + mspId + "; users are " + users.keySet());
    }
    return user;
  }
}
