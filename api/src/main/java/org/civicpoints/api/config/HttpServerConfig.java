package org.civicpoints.api.config;

import java.time.Duration;
import java.util.List;

/**
 * The HTTP edge: how long a connection may stay silent, how long a request's head (request line and
 * headers) may take to arrive, how large it may be, and which proxies' X-Forwarded-For is believed.
 */
public record HttpServerConfig(
    Duration idleTimeout,
    Duration requestHeadTimeout,
    int maxRequestLineBytes,
    int maxHeaderBytes,
    List<Cidr> trustedProxies) {

  public HttpServerConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }
}
