package org.civicpoints.api.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach the ledger. An absent peer endpoint means: start the embedded devnet on
 * 127.0.0.1:devnetPort (dev only). Rule changes are signed by a second identity of the same MSP,
 * enrolled with civic.role=rules-admin (absent in dev: the embedded devnet's admin user, or the
 * ledger-writer identity when pointing at another peer).
 */
public record FabricConfig(
    Optional<String> peerEndpoint,
    Optional<String> mspId,
    Optional<Path> certificate,
    Optional<Path> privateKey,
    Optional<Path> tlsCaCertificate,
    Optional<Path> rulesCertificate,
    Optional<Path> rulesPrivateKey,
    String channel,
    String chaincode,
    int devnetPort) {}
