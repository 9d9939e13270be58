package org.civicpoints.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.civicpoints.api.domain.ExpiryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiConfigTest {

  @Test
  void an_empty_environment_is_a_dev_server_with_embedded_parts() {
    ApiConfig config = ApiConfig.fromEnv(Map.of());
    assertThat(config.env()).isEqualTo(CivicEnv.DEV);
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.mongo().uri()).isEmpty();
    assertThat(config.mongo().database()).isEqualTo("civic_points");
    assertThat(config.fabric().peerEndpoint()).isEmpty();
    assertThat(config.fabric().devnetPort()).isEqualTo(7051);
    assertThat(config.firebase().enabled()).isFalse();
    assertThat(config.jwt().keyFile()).isEqualTo(Path.of("./data/jwt-signing-keys.json"));
    assertThat(config.jwt().accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.envDescription())
        .isEqualTo(
            "dev, because CIVIC_ENV is unset and none of MONGO_URI, FABRIC_PEER_ENDPOINT,"
                + " FIREBASE_PROJECT_ID is set");
  }

  @Test
  void an_explicit_dev_may_use_real_services() {
    ApiConfig config =
        ApiConfig.fromEnv(Map.of("CIVIC_ENV", "dev", "MONGO_URI", "mongodb://localhost:27017"));
    assertThat(config.isDev()).isTrue();
    assertThat(config.envDescription()).isEqualTo("dev");
  }

  @ParameterizedTest
  @ValueSource(strings = {"MONGO_URI", "FABRIC_PEER_ENDPOINT", "FIREBASE_PROJECT_ID"})
  void any_production_setting_without_civic_env_refuses_to_start(String setting) {
    assertThatThrownBy(
            () -> ApiConfig.fromEnv(Map.of(setting, "configured", "HTTP_PORT", "eighty")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(1))
        .hasMessage(
            "Cannot start: CIVIC_ENV is unset but "
                + setting
                + " is set: set CIVIC_ENV=prod for a production server"
                + " (or CIVIC_ENV=dev to develop against these services)");
  }

  @Test
  void a_whole_production_environment_without_civic_env_gets_one_message() {
    Map<String, String> environment = prod();
    environment.remove("CIVIC_ENV");
    assertThatThrownBy(() -> ApiConfig.fromEnv(environment))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(1))
        .hasMessageStartingWith(
            "Cannot start: CIVIC_ENV is unset but MONGO_URI, FABRIC_PEER_ENDPOINT,"
                + " FIREBASE_PROJECT_ID are set: set CIVIC_ENV=prod");
  }

  @Test
  void days_are_beijing_days_unless_civic_time_zone_says_otherwise() {
    assertThat(ApiConfig.fromEnv(Map.of()).timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(ApiConfig.fromEnv(Map.of("CIVIC_TIME_ZONE", "Europe/Berlin")).timeZone())
        .isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(ApiConfig.fromEnv(Map.of("CIVIC_TIME_ZONE", "UTC")).timeZone())
        .isEqualTo(ZoneId.of("UTC"));
  }

  @Test
  void an_unknown_time_zone_is_refused() {
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("CIVIC_TIME_ZONE", "Beijing")))
        .hasMessageContaining(
            "CIVIC_TIME_ZONE must be a time zone such as Asia/Shanghai or UTC, not 'Beijing'");
  }

  @Test
  void prod_lists_every_missing_setting_in_one_message() {
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("CIVIC_ENV", "prod")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CIVIC_ENV=prod")
        .hasMessageContaining(
            "missing MONGO_URI, FABRIC_PEER_ENDPOINT, FABRIC_MSP_ID, FABRIC_CERT, FABRIC_KEY, "
                + "FABRIC_TLS_CA, FABRIC_RULES_CERT, FABRIC_RULES_KEY, FIREBASE_PROJECT_ID, JWT_KEY_FILE, JWT_ISSUER, JWT_AUDIENCE");
  }

  @Test
  void prod_with_every_setting_starts() {
    ApiConfig config = ApiConfig.fromEnv(prod());
    assertThat(config.isDev()).isFalse();
    assertThat(config.mongo().uri()).contains("mongodb://db:27017");
  }

  @Test
  void prod_refuses_the_firebase_emulator() {
    Map<String, String> environment = prod();
    environment.put("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099");
    assertThatThrownBy(() -> ApiConfig.fromEnv(environment))
        .hasMessageContaining("FIREBASE_AUTH_EMULATOR_HOST");
  }

  @Test
  void invalid_values_are_reported_together_with_missing_ones() {
    Map<String, String> environment =
        new HashMap<>(
            Map.of(
                "CIVIC_ENV",
                "prod",
                "HTTP_PORT",
                "eighty",
                "AUTH_RATE_LIMIT_PER_IP",
                "0",
                "BOOTSTRAP_ADMIN_PHONE",
                "12345"));
    assertThatThrownBy(() -> ApiConfig.fromEnv(environment))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(4))
        .hasMessageContaining("HTTP_PORT must be an integer")
        .hasMessageContaining("AUTH_RATE_LIMIT_PER_IP must be a positive integer")
        .hasMessageContaining("BOOTSTRAP_ADMIN_PHONE is not an E.164 phone number")
        .hasMessageContaining("missing MONGO_URI");
  }

  // Evidence storage (CIVIC_EVIDENCE_STORE, CIVIC_EVIDENCE_BUCKET)

  @Test
  void evidence_photos_stay_in_gridfs_unless_cloud_storage_is_chosen_with_its_bucket() {
    assertThat(ApiConfig.fromEnv(Map.of()).evidence().store())
        .isEqualTo(EvidenceConfig.Store.GRIDFS);
    EvidenceConfig gcs =
        ApiConfig.fromEnv(
                Map.of("CIVIC_EVIDENCE_STORE", "GCS", "CIVIC_EVIDENCE_BUCKET", "civic-evidence_1"))
            .evidence();
    assertThat(gcs.store()).isEqualTo(EvidenceConfig.Store.GCS);
    assertThat(gcs.bucket()).contains("civic-evidence_1");
    assertThat(gcs.storageOptions()).as("the default client, made on first use").isEmpty();
  }

  @Test
  void cloud_storage_without_a_bucket_refuses_to_start() {
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("CIVIC_EVIDENCE_STORE", "gcs")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(1))
        .hasMessageContaining("CIVIC_EVIDENCE_BUCKET is required when CIVIC_EVIDENCE_STORE is gcs");
  }

  @Test
  void a_bucket_beside_gridfs_refuses_to_start_rather_than_keep_photos_elsewhere() {
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("CIVIC_EVIDENCE_BUCKET", "civic-evidence")))
        .hasMessageContaining(
            "CIVIC_EVIDENCE_BUCKET is set but CIVIC_EVIDENCE_STORE is gridfs; set"
                + " CIVIC_EVIDENCE_STORE=gcs to use the bucket");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "Civic-Evidence", "-civic", "civic-", "gs://civic", "a.b.c"})
  void a_bucket_name_cloud_storage_would_refuse_is_refused_at_start(String name) {
    assertThatThrownBy(
            () ->
                ApiConfig.fromEnv(
                    Map.of("CIVIC_EVIDENCE_STORE", "gcs", "CIVIC_EVIDENCE_BUCKET", name)))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(1))
        .hasMessageContaining("CIVIC_EVIDENCE_BUCKET must be a Cloud Storage bucket name")
        .hasMessageContaining("'" + name + "'");
  }

  @Test
  void an_unknown_evidence_store_is_refused() {
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("CIVIC_EVIDENCE_STORE", "s3")))
        .hasMessageContaining("CIVIC_EVIDENCE_STORE must be gridfs or gcs, not 's3'");
  }

  @Test
  void an_unknown_environment_name_is_refused() {
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("CIVIC_ENV", "staging")))
        .hasMessageContaining("CIVIC_ENV must be dev or prod");
  }

  @Test
  void blank_values_count_as_unset() {
    assertThat(ApiConfig.fromEnv(Map.of("MONGO_URI", "  ")).mongo().uri()).isEmpty();
  }

  @Test
  void sessions_and_the_http_edge_have_safe_defaults() {
    ApiConfig config = ApiConfig.fromEnv(Map.of());
    assertThat(config.sessions().refreshAbsoluteLifetime()).isEqualTo(Duration.ofDays(30));
    assertThat(config.http().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.http().requestHeadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.http().maxRequestLineBytes()).isEqualTo(4096);
    assertThat(config.http().maxHeaderBytes()).isEqualTo(8192);
    assertThat(config.http().trustedProxies()).as("no proxy is trusted by default").isEmpty();
  }

  @Test
  void the_absolute_lifetime_is_an_iso_duration_or_days() {
    assertThat(lifetime("P7D")).isEqualTo(Duration.ofDays(7));
    assertThat(lifetime("pt12h")).isEqualTo(Duration.ofHours(12));
    assertThat(lifetime("90")).isEqualTo(Duration.ofDays(90));
    assertThat(lifetime("PT1H")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void an_absolute_lifetime_outside_one_hour_to_ninety_days_refuses_to_start() {
    for (String outside : new String[] {"PT59M", "91", "P365D", "0", "PT0S"}) {
      assertThatThrownBy(() -> lifetime(outside))
          .as(outside)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("REFRESH_ABSOLUTE_LIFETIME must be between PT1H and PT2160H");
    }
    assertThatThrownBy(() -> lifetime("a month"))
        .hasMessageContaining("REFRESH_ABSOLUTE_LIFETIME must be an ISO-8601 duration");
  }

  @Test
  void trusted_proxies_are_ipv4_and_ipv6_cidr_blocks() {
    ApiConfig config =
        ApiConfig.fromEnv(Map.of("TRUSTED_PROXIES", " 10.0.0.0/8, 192.168.1.7 ,fd00::/8,"));
    assertThat(config.http().trustedProxies())
        .containsExactly(
            Cidr.parse("10.0.0.0/8"), Cidr.parse("192.168.1.7/32"), Cidr.parse("fd00::/8"));
  }

  @Test
  void a_trusted_proxy_that_is_not_a_cidr_block_refuses_to_start_naming_it() {
    for (String wrong :
        new String[] {
          "proxy.internal", "10.0.0.0/33", "10.0.0.256/8", "fd00::/129", "10.0.0.0/x"
        }) {
      assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("TRUSTED_PROXIES", "10.1.0.0/16," + wrong)))
          .as(wrong)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("TRUSTED_PROXIES has '" + wrong + "'");
    }
  }

  @Test
  void console_origins_are_web_origins_without_a_path() {
    ApiConfig config =
        ApiConfig.fromEnv(
            Map.of("CONSOLE_ORIGINS", " https://Console.Example.org, http://127.0.0.1:5173 ,"));
    assertThat(config.console().allowedOrigins())
        .containsExactly("https://console.example.org", "http://127.0.0.1:5173");
    for (String wrong :
        new String[] {"console.example.org", "https://console.example.org/", "ftp://x", "*"}) {
      assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("CONSOLE_ORIGINS", wrong)))
          .as(wrong)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("CONSOLE_ORIGINS has '" + wrong + "'");
    }
  }

  @Test
  void http_timeouts_and_head_limits_are_positive_integers() {
    assertThatThrownBy(
            () ->
                ApiConfig.fromEnv(
                    Map.of("HTTP_IDLE_TIMEOUT_SECONDS", "0", "HTTP_MAX_HEADER_BYTES", "big")))
        .hasMessageContaining("HTTP_IDLE_TIMEOUT_SECONDS must be a positive integer")
        .hasMessageContaining("HTTP_MAX_HEADER_BYTES must be an integer");
  }

  @Test
  void points_never_expire_unless_the_expiry_policy_says_so() {
    assertThat(ApiConfig.fromEnv(Map.of()).expiry()).isEqualTo(ExpiryPolicy.none());
    assertThat(
            ApiConfig.fromEnv(
                    Map.of("CIVIC_EXPIRY_POLICY", "end_of_year_after", "CIVIC_EXPIRY_YEARS", "2"))
                .expiry())
        .isEqualTo(new ExpiryPolicy(ExpiryPolicy.Kind.END_OF_YEAR_AFTER, 2));
    assertThat(ApiConfig.fromEnv(Map.of("CIVIC_EXPIRY_POLICY", "END_OF_YEAR_AFTER")).expiry())
        .isEqualTo(new ExpiryPolicy(ExpiryPolicy.Kind.END_OF_YEAR_AFTER, 1));
  }

  @Test
  void an_unknown_expiry_policy_or_a_year_count_out_of_range_refuses_to_start() {
    assertThatThrownBy(
            () ->
                ApiConfig.fromEnv(
                    Map.of("CIVIC_EXPIRY_POLICY", "YEARLY", "CIVIC_EXPIRY_YEARS", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CIVIC_EXPIRY_POLICY must be NONE or END_OF_YEAR_AFTER, not 'YEARLY'")
        .hasMessageContaining(
            "CIVIC_EXPIRY_YEARS must be a whole number of years from 1 to 50, not 0");
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("CIVIC_EXPIRY_YEARS", "one")))
        .hasMessageContaining("CIVIC_EXPIRY_YEARS must be an integer, not 'one'");
  }

  private static Duration lifetime(String value) {
    return ApiConfig.fromEnv(Map.of("REFRESH_ABSOLUTE_LIFETIME", value))
        .sessions()
        .refreshAbsoluteLifetime();
  }

  static Map<String, String> prod() {
    Map<String, String> environment = new HashMap<>();
    environment.put("CIVIC_ENV", "prod");
    environment.put("MONGO_URI", "mongodb://db:27017");
    environment.put("FABRIC_PEER_ENDPOINT", "peer0.example.org:7051");
    environment.put("FABRIC_MSP_ID", "Org1MSP");
    environment.put("FABRIC_CERT", "/secrets/cert.pem");
    environment.put("FABRIC_KEY", "/secrets/key.pem");
    environment.put("FABRIC_TLS_CA", "/secrets/ca.pem");
    environment.put("FABRIC_RULES_CERT", "/secrets/rules-cert.pem");
    environment.put("FABRIC_RULES_KEY", "/secrets/rules-key.pem");
    environment.put("FIREBASE_PROJECT_ID", "civic-points");
    environment.put("JWT_KEY_FILE", "/secrets/jwt.json");
    environment.put("JWT_ISSUER", "https://api.civic-points.example");
    environment.put("JWT_AUDIENCE", "civic-points-app");
    return environment;
  }
}
