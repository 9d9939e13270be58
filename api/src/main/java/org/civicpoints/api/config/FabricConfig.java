package org.civicpoints.api.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach the ledger. An absent peer endpoint means: start the embedded devnet on
 * 127.0.0.1:devnetPort (dev only).
 */
public record FabricConfig(
    Optional<String> peerEndpoint,
    Optional<String> mspId,
    Optional<Path> certificate,
    Optional<Path> privateKey,
    Optional<Path> tlsCaCertificate,
    String channel,
    String chaincode,
    int devnetPort) {}
