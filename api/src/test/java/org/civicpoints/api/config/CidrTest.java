package org.civicpoints.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void an_ipv4_block_holds_exactly_its_addresses() {
    Cidr block = Cidr.parse("10.1.0.0/16");
    assertThat(block.contains(address("10.1.255.7"))).isTrue();
    assertThat(block.contains(address("10.2.0.1"))).isFalse();
    assertThat(block.contains(address("::ffff:10.1.0.9"))).as("IPv4-mapped IPv6").isTrue();
  }

  @Test
  void an_ipv6_block_holds_exactly_its_addresses() {
    Cidr block = Cidr.parse("2001:db8:ffff::/48");
    assertThat(block.contains(address("2001:db8:ffff:1::1"))).isTrue();
    assertThat(block.contains(address("2001:db8:fffe::1"))).isFalse();
    assertThat(block.contains(address("10.0.0.1"))).isFalse();
  }

  @Test
  void host_bits_are_cleared_and_a_bare_address_is_one_host() {
    assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(Cidr.parse("127.0.0.1").contains(address("127.0.0.2"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(address("203.0.113.1"))).isTrue();
  }

  @Test
  void only_literals_are_addresses_no_name_is_looked_up() {
    assertThat(Cidr.literal("localhost")).isEmpty();
    assertThat(Cidr.literal("999.1.1.1")).isEmpty();
    assertThat(Cidr.literal("1.2.3.4:80")).isEmpty();
    assertThat(Cidr.literal("unknown")).isEmpty();
    assertThat(Cidr.literal(" 2001:db8::1 ")).isPresent();
  }

  private static InetAddress address(String literal) {
    return Cidr.literal(literal).orElseThrow();
  }
}
