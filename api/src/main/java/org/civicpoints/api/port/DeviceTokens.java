package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/**
 * FCM registration tokens of members' devices in "device_tokens" (_id = token: a device belongs to
 * one member).
 */
public interface DeviceTokens {

  /**
   * Registers the token for the member (moving it from another member if the device changed hands).
   */
  Future<Void> register(String memberId, String token, String platform);

  /** true when the member had this token. */
  Future<Boolean> remove(String memberId, String token);

  Future<List<String>> tokensOf(String memberId);

  Future<Void> removeAll(Collection<String> tokens);
}
