package org.civicpoints.api.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code fd00::/8}. */
public record Cidr(byte[] network, int prefixLength) {

  private static final Pattern IPV4 = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");
  private static final Pattern IPV6 =
      Pattern.compile("^[0-9A-Fa-f:][0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$");

  /** {@code a.b.c.d/n}, {@code x::y/n}, or a single address (all its bits). */
  public static Cidr parse(String text) {
    String[] parts = text.trim().split("/", -1);
    byte[] address =
        literal(parts[0])
            .orElseThrow(() -> new IllegalArgumentException("not an IP address"))
            .getAddress();
    int bits = address.length * 8;
    int prefix = parts.length == 1 ? bits : prefixLength(parts, bits);
    return new Cidr(masked(address, prefix), prefix);
  }

  /**
   * The address of an IP literal, never a DNS lookup (an X-Forwarded-For hop is whatever a client
   * wrote): {@code Optional.empty()} for anything else. IPv4-mapped IPv6 addresses come back as
   * IPv4, as Java maps them.
   */
  public static Optional<InetAddress> literal(String text) {
    String candidate = text.trim();
    try {
      if (IPV4.matcher(candidate).matches()) {
        return ipv4(candidate.split("\\."));
      }
      // Java parses a text that starts with a hex digit or ':' and holds a ':' as an IPv6 literal
      // and fails without a lookup when it is not one.
      return IPV6.matcher(candidate).matches()
          ? Optional.of(InetAddress.getByName(candidate))
          : Optional.empty();
    } catch (UnknownHostException notALiteral) {
      return Optional.empty();
    }
  }

  private static Optional<InetAddress> ipv4(String[] octets) throws UnknownHostException {
    byte[] address = new byte[4];
    for (int i = 0; i < 4; i++) {
      int octet = Integer.parseInt(octets[i]);
      if (octet > 255) {
        return Optional.empty();
      }
      address[i] = (byte) octet;
    }
    return Optional.of(InetAddress.getByAddress(address));
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && Arrays.equals(masked(bytes, prefixLength), network);
  }

  private static int prefixLength(String[] parts, int bits) {
    if (parts.length != 2 || !parts[1].matches("[0-9]{1,3}")) {
      throw new IllegalArgumentException("the prefix length is not a number");
    }
    int prefix = Integer.parseInt(parts[1]);
    if (prefix > bits) {
      throw new IllegalArgumentException("the prefix length is more than " + bits);
    }
    return prefix;
  }

  private static byte[] masked(byte[] address, int prefix) {
    byte[] result = address.clone();
    for (int bit = prefix; bit < result.length * 8; bit++) {
      result[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return result;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr cidr
        && prefixLength == cidr.prefixLength
        && Arrays.equals(network, cidr.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
