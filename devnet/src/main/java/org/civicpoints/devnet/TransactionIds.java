package org.civicpoints.devnet;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Fabric derives a transaction id from the signature header: hex(SHA-256(nonce || creator)). */
final class TransactionIds {

  private TransactionIds() {}

  static boolean matches(String txId, ByteString nonce, ByteString creator) {
    return expected(nonce, creator).equals(txId);
  }

  static String expected(ByteString nonce, ByteString creator) {
    MessageDigest sha256 = sha256();
    sha256.update(nonce.asReadOnlyByteBuffer());
    sha256.update(creator.asReadOnlyByteBuffer());
    return HexFormat.of().formatHex(sha256.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
