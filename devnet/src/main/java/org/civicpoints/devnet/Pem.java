package org.civicpoints.devnet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Certificates and PKCS#8 EC keys as PEM files, as Fabric tools read and write them. */
final class Pem {

  private static final System.Logger LOG = System.getLogger(Pem.class.getName());

  private Pem() {}

  static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
    Files.createDirectories(file.getParent());
    try (Writer out = Files.newBufferedWriter(file);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(certificate);
    }
  }

  /** A "PRIVATE KEY" (PKCS#8) PEM readable by its owner only, where the file system allows it. */
  static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    Files.createDirectories(file.getParent());
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(new JcaPKCS8Generator(key, null));
    }
    Files.writeString(file, text.toString());
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      LOG.log(System.Logger.Level.DEBUG, "no POSIX permissions on this file system for {0}", file);
    }
  }

  static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
    return parseCertificate(Files.readAllBytes(file));
  }

  static X509Certificate parseCertificate(byte[] pem) throws GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }

  static PrivateKey readPrivateKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file);
        PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      if (!(object instanceof PrivateKeyInfo info)) {
        throw new IOException(file + " does not hold a PKCS#8 private key");
      }
      return KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " does not hold an EC private key", e);
    }
  }
}
