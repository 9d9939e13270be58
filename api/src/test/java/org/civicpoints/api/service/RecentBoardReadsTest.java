package org.civicpoints.api.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A board read is answered again only at the same projected block, young enough, while kept. */
class RecentBoardReadsTest {

  private final AtomicLong nanos = new AtomicLong();
  private final RecentBoardReads<String> reads =
      new RecentBoardReads<>(2, Duration.ofSeconds(2), nanos::get);

  @Test
  void a_read_is_answered_again_at_the_same_block_only() {
    reads.keep("city|year:2026|ALL|20|", 7, "page at 7");
    assertThat(reads.find("city|year:2026|ALL|20|", 7)).contains("page at 7");
    assertThat(reads.find("city|year:2026|ALL|20|", 8)).isEmpty();
    assertThat(reads.find("city|year:2026|ALL|21|", 7)).isEmpty();
  }

  @Test
  void a_read_older_than_its_maximum_age_is_not_answered() {
    reads.keep("board", 7, "page");
    nanos.addAndGet(Duration.ofMillis(1_999).toNanos());
    assertThat(reads.find("board", 7)).contains("page");
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(reads.find("board", 7)).isEmpty();
  }

  @Test
  void the_least_recently_used_read_goes_when_the_bound_is_reached() {
    reads.keep("a", 1, "A");
    reads.keep("b", 1, "B");
    reads.find("a", 1);
    reads.keep("c", 1, "C");
    assertThat(reads.find("a", 1)).contains("A");
    assertThat(reads.find("b", 1)).isEmpty();
    assertThat(reads.find("c", 1)).contains("C");
  }

  @Test
  void a_failed_read_is_forgotten_but_not_the_one_that_replaced_it() {
    reads.keep("board", 7, "failed");
    reads.forget("board", "failed");
    assertThat(reads.find("board", 7)).isEmpty();
    reads.keep("board", 7, "newer");
    reads.forget("board", "failed");
    assertThat(reads.find("board", 7)).contains("newer");
  }
}
