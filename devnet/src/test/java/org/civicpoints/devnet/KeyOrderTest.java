package org.civicpoints.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys sort as their UTF-8 bytes do, as in Fabric's LevelDB. */
class KeyOrderTest {

  @Test
  void orders_keys_by_their_utf8_bytes() {
    List<String> keys =
        new ArrayList<>(
            List.of(
                "b",
                "a",
                "ab",
                "",
                "\u0000item\u0000",
                "\uE000",
                "\uFFFF",
                "\uD83D\uDE00",
                "\udbff\udfff",
                "z\u00e9"));

    List<String> byCodePoint = new ArrayList<>(keys);
    byCodePoint.sort(KeyOrder.CODE_POINT);
    List<String> byUtf8 = new ArrayList<>(keys);
    byUtf8.sort(
        (x, y) ->
            Arrays.compareUnsigned(
                x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));

    assertThat(byCodePoint).isEqualTo(byUtf8);
    assertThat(byCodePoint.get(byCodePoint.size() - 1)).isEqualTo("\udbff\udfff");
  }

  @Test
  void the_shims_range_end_is_above_every_basic_multilingual_plane_character() {
    assertThat(KeyOrder.compare("prefix\uFFFF", "prefix\udbff\udfff")).isNegative();
    assertThat(KeyOrder.compare("prefix\uE000", "prefix\udbff\udfff")).isNegative();
    assertThat("prefix\uE000".compareTo("prefix\udbff\udfff"))
        .isPositive(); // why String order is wrong here
  }
}
