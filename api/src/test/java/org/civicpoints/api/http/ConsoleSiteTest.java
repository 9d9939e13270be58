package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's files as the API serves them at /console/ (built by the console module). */
class ConsoleSiteTest {

  private static final Pattern ENTRY_SCRIPT =
      Pattern.compile("<script type=\"module\" crossorigin src=\"(/console/assets/[^\"]+\\.js)\"");
  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void the_page_is_never_cached_and_allows_no_inline_or_foreign_script() {
    Reply page = api.client.fetchDocument("/console/");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(page.header("Content-Security-Policy"))
        .contains("script-src 'self';", "object-src 'none'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-eval")
        .doesNotContainPattern("script-src[^;]*unsafe-inline");
    assertThat(page.body().toString()).doesNotContainPattern("<script(?![^>]*\\bsrc=)");
  }

  @Test
  void every_console_path_answers_the_page_so_links_into_the_console_work() {
    Reply deep = api.client.fetchDocument("/console/approvals?status=PENDING");

    assertThat(deep.status()).isEqualTo(200);
    assertThat(deep.body()).isEqualTo(api.client.fetchDocument("/console/").body());
  }

  @Test
  void hashed_assets_are_cached_for_good_and_sent_gzipped_to_who_asks() {
    Reply asset = api.client.fetchDocument(entryScript(), Map.of("Accept-Encoding", "gzip"));

    assertThat(asset.status()).isEqualTo(200);
    assertThat(asset.header("Content-Type")).contains("javascript");
    assertThat(asset.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(asset.header("Content-Encoding")).isEqualTo("gzip");
  }

  @Test
  void a_missing_asset_is_a_404_problem_not_the_page() {
    Reply missing = api.client.fetchDocument("/console/assets/missing-0000.js");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
    assertThat(missing.code()).isEqualTo("ROUTE_NOT_FOUND");
  }

  private static String entryScript() {
    Matcher script = ENTRY_SCRIPT.matcher(api.client.fetchDocument("/console/").body().toString());
    assertThat(script.find()).as("the page names its entry script").isTrue();
    return script.group(1);
  }
}
