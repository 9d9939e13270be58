package org.civicpoints.devnet;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Builds blocks the way Fabric shapes them: hashed headers, envelopes as data, a transactions
 * filter.
 */
final class Blocks {

  private static final int METADATA_SLOTS = BlockMetadataIndex.COMMIT_HASH_VALUE + 1;

  private Blocks() {}

  /** Block 0: a config block that opens the channel and carries no chaincode transaction. */
  static Block genesis(String channel) {
    ChannelHeader channelHeader =
        ChannelHeader.newBuilder()
            .setType(HeaderType.CONFIG_VALUE)
            .setChannelId(channel)
            .setTimestamp(timestamp(Instant.now()))
            .build();
    ConfigEnvelope config =
        ConfigEnvelope.newBuilder()
            .setConfig(
                Config.newBuilder()
                    .setSequence(0)
                    .setChannelGroup(ConfigGroup.getDefaultInstance()))
            .build();
    Payload payload =
        Payload.newBuilder()
            .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString()))
            .setData(config.toByteString())
            .build();
    Envelope envelope = Envelope.newBuilder().setPayload(payload.toByteString()).build();
    return build(
        0,
        ByteString.EMPTY,
        List.of(envelope.toByteString()),
        new byte[] {TxValidationCode.VALID_VALUE});
  }

  static Block build(
      long number, ByteString previousHash, List<ByteString> envelopes, byte[] validationCodes) {
    BlockData data = BlockData.newBuilder().addAllData(envelopes).build();
    BlockHeader header =
        BlockHeader.newBuilder()
            .setNumber(number)
            .setPreviousHash(previousHash)
            .setDataHash(dataHash(envelopes))
            .build();
    BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
    for (int slot = 0; slot < METADATA_SLOTS; slot++) {
      metadata.addMetadata(
          slot == BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE
              ? ByteString.copyFrom(validationCodes)
              : ByteString.EMPTY);
    }
    return Block.newBuilder().setHeader(header).setData(data).setMetadata(metadata).build();
  }

  static byte[] validationCodes(Block block) {
    return block
        .getMetadata()
        .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
        .toByteArray();
  }

  /** Fabric hashes the ASN.1 DER of (number, previous hash, data hash) to chain headers. */
  static ByteString headerHash(BlockHeader header) {
    ASN1Encodable[] fields = {
      new ASN1Integer(header.getNumber()),
      new DEROctetString(header.getPreviousHash().toByteArray()),
      new DEROctetString(header.getDataHash().toByteArray())
    };
    try {
      return ByteString.copyFrom(
          TransactionIds.sha256().digest(new DERSequence(fields).getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a block header", e);
    }
  }

  private static ByteString dataHash(List<ByteString> envelopes) {
    MessageDigest sha256 = TransactionIds.sha256();
    envelopes.forEach(envelope -> sha256.update(envelope.asReadOnlyByteBuffer()));
    return ByteString.copyFrom(sha256.digest());
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
