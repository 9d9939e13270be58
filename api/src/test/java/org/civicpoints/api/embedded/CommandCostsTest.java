package org.civicpoints.api.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded store's opt-in cost report names kinds of commands, never the values they carry. */
class CommandCostsTest {

  @Test
  void commands_are_told_apart_by_name_collection_and_filtered_fields_only() {
    assertThat(
            CommandCosts.kind(
                "find",
                new Document("find", "members")
                    .append("filter", new Document("phone", "13800138000"))))
        .isEqualTo("find members [phone]");
    assertThat(
            CommandCosts.kind(
                "update",
                new Document("update", "standings")
                    .append(
                        "updates",
                        List.of(
                            new Document(
                                "q", new Document("_id", "m-1").append("lastPosition", 7))))))
        .isEqualTo("update standings [_id, lastPosition]");
    assertThat(
            CommandCosts.kind(
                "aggregate",
                new Document("aggregate", "points")
                    .append(
                        "pipeline",
                        List.of(
                            new Document("$match", new Document("memberId", "m-1")),
                            new Document("$group", new Document("_id", null))))))
        .isEqualTo("aggregate points [[$match], [$group]]");
    assertThat(CommandCosts.kind("insert", new Document("insert", "audit")))
        .isEqualTo("insert audit");
  }

  @Test
  void the_report_puts_the_costliest_kind_first_with_its_calls() {
    CommandCosts costs = CommandCosts.measuring();
    long started = costs.start();
    costs.command("insert", new Document("insert", "audit"), started);
    long busy = costs.start();
    double spin = 0;
    for (int i = 0; i < 5_000_000; i++) {
      spin += Math.sqrt(i);
    }
    costs.commit(busy);
    costs.commit(costs.start());

    String report = costs.report(5);
    assertThat(spin).isPositive();
    assertThat(report.lines().skip(1).findFirst().orElseThrow())
        .contains("2 calls")
        .endsWith("commit");
    assertThat(report).contains("1 calls").contains("insert audit");
    assertThat(CommandCosts.fromSystemProperty().measured()).isFalse();
  }
}
