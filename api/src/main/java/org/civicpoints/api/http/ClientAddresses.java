package org.civicpoints.api.http;

import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.civicpoints.api.config.Cidr;

/**
 * The client address that rate limits count against. X-Forwarded-For is believed only when the
 * socket peer is a trusted proxy (TRUSTED_PROXIES): then the client is the right-most address that
 * is not itself a trusted proxy, since every address to its left was written by the client and can
 * be anything. With no trusted proxies (the default), or from any other peer, it is the socket
 * address.
 */
public final class ClientAddresses {

  private static final String FORWARDED_FOR = "X-Forwarded-For";

  private final List<Cidr> trustedProxies;

  public ClientAddresses(List<Cidr> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  public String of(HttpServerRequest request) {
    String peer = request.remoteAddress().hostAddress();
    Optional<InetAddress> peerAddress = Cidr.literal(peer);
    if (peerAddress.isEmpty() || !isTrusted(peerAddress.get())) {
      return peer;
    }
    return rightMostUntrusted(forwardedFor(request), peerAddress.get().getHostAddress());
  }

  /** Walks from the nearest hop outwards; a hop that is not an address ends the trust. */
  private String rightMostUntrusted(List<String> hops, String nearestTrusted) {
    String client = nearestTrusted;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = Cidr.literal(hops.get(i));
      if (hop.isEmpty()) {
        return client;
      }
      client = hop.get().getHostAddress();
      if (!isTrusted(hop.get())) {
        return client;
      }
    }
    return client;
  }

  private boolean isTrusted(InetAddress address) {
    return trustedProxies.stream().anyMatch(block -> block.contains(address));
  }

  /** Every X-Forwarded-For header, in order, split at commas. */
  private static List<String> forwardedFor(HttpServerRequest request) {
    List<String> hops = new ArrayList<>();
    for (String header : request.headers().getAll(FORWARDED_FOR)) {
      for (String hop : header.split(",")) {
        hops.add(hop.trim());
      }
    }
    return hops;
  }
}
