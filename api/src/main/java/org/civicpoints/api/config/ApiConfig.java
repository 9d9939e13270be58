package org.civicpoints.api.config;

import com.google.cloud.storage.StorageOptions;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.civicpoints.api.domain.ExpiryPolicy;

/** Everything the API reads from its environment, read once at start-up. */
public record ApiConfig(
    CivicEnv env,
    String httpHost,
    int httpPort,
    Path dataDir,
    MongoConfig mongo,
    FabricConfig fabric,
    FirebaseConfig firebase,
    JwtConfig jwt,
    RateLimitConfig rateLimits,
    Optional<String> bootstrapAdminPhone,
    Duration shutdownGrace,
    ZoneId timeZone,
    boolean envUnset,
    SessionConfig sessions,
    HttpServerConfig http,
    ConsoleConfig console,
    ExpiryPolicy expiry,
    NoticeConfig notices,
    EvidenceConfig evidence,
    CertificateConfig certificates) {

  public static final long MAX_BODY_BYTES = 1024 * 1024;
  private static final Pattern ORIGIN = Pattern.compile("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$");
  private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");

  /** Cloud Storage's rule for bucket names (dotted, domain-named buckets are not used here). */
  private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$");

  /** Settings without which a production server must not start. */
  static final List<String> REQUIRED_IN_PROD =
      List.of(
          "MONGO_URI",
          "FABRIC_PEER_ENDPOINT",
          "FABRIC_MSP_ID",
          "FABRIC_CERT",
          "FABRIC_KEY",
          "FABRIC_TLS_CA",
          "FABRIC_RULES_CERT",
          "FABRIC_RULES_KEY",
          "FIREBASE_PROJECT_ID",
          "JWT_KEY_FILE",
          "JWT_ISSUER",
          "JWT_AUDIENCE");

  /**
   * Settings that point at real outside systems: with any of them, an unset CIVIC_ENV is refused
   * rather than guessed (a guess of dev would offer dev sign-in to anyone).
   */
  static final List<String> PRODUCTION_SETTINGS =
      List.of("MONGO_URI", "FABRIC_PEER_ENDPOINT", "FIREBASE_PROJECT_ID");

  static final String DEFAULT_TIME_ZONE = "Asia/Shanghai";

  /**
   * The same configuration with another identity provider: tests put the Firebase Auth emulator,
   * which {@link #fromEnv} refuses in prod, into an otherwise production configuration.
   */
  public ApiConfig withFirebase(FirebaseConfig other) {
    return with(other, evidence);
  }

  /**
   * The same configuration with the evidence bucket reached through {@code options}: tests put
   * Cloud Storage's in-memory fake in place of the default client.
   */
  public ApiConfig withEvidenceStorage(StorageOptions options) {
    return with(firebase, evidence.withStorageOptions(options));
  }

  /** This configuration with other Firebase and evidence parts. */
  private ApiConfig with(FirebaseConfig otherFirebase, EvidenceConfig otherEvidence) {
    return new ApiConfig(
        env,
        httpHost,
        httpPort,
        dataDir,
        mongo,
        fabric,
        otherFirebase,
        jwt,
        rateLimits,
        bootstrapAdminPhone,
        shutdownGrace,
        timeZone,
        envUnset,
        sessions,
        http,
        console,
        expiry,
        notices,
        otherEvidence,
        certificates);
  }

  public boolean isDev() {
    return env == CivicEnv.DEV;
  }

  /** What the start-up log says the server is: {@code prod}, {@code dev}, or why it is dev. */
  public String envDescription() {
    return envUnset
        ? "dev, because CIVIC_ENV is unset and none of "
            + String.join(", ", PRODUCTION_SETTINGS)
            + " is set"
        : env.name().toLowerCase();
  }

  /**
   * Reads the configuration; throws {@link ConfigException} listing every missing or invalid
   * setting at once.
   */
  public static ApiConfig fromEnv(Map<String, String> environment) {
    Settings settings = new Settings(environment);
    boolean envUnset = settings.optional("CIVIC_ENV").isEmpty();
    if (envUnset) {
      settings.refuseProductionSettingsWithoutEnv();
    }
    CivicEnv env = settings.civicEnv();
    if (env == CivicEnv.PROD) {
      REQUIRED_IN_PROD.forEach(settings::require);
      settings.forbid("FIREBASE_AUTH_EMULATOR_HOST", "an emulator is never used in prod");
    }
    Path dataDir = Path.of(settings.text("DATA_DIR", "./data"));
    ApiConfig config =
        new ApiConfig(
            env,
            settings.text("HTTP_HOST", "0.0.0.0"),
            settings.port("HTTP_PORT", 8080),
            dataDir,
            new MongoConfig(
                settings.optional("MONGO_URI"), settings.text("MONGO_DB", "civic_points")),
            fabric(settings),
            new FirebaseConfig(
                settings.optional("FIREBASE_PROJECT_ID"),
                settings.optional("GOOGLE_APPLICATION_CREDENTIALS").map(Path::of),
                settings.optional("FIREBASE_AUTH_EMULATOR_HOST")),
            new JwtConfig(
                Path.of(
                    settings.text(
                        "JWT_KEY_FILE", dataDir.resolve("jwt-signing-keys.json").toString())),
                settings.text("JWT_ISSUER", "civic-points-dev"),
                settings.text("JWT_AUDIENCE", "civic-points-app"),
                Duration.ofMinutes(15),
                Duration.ofDays(settings.positiveInt("REFRESH_TOKEN_TTL_DAYS", 30))),
            new RateLimitConfig(
                settings.positiveInt("AUTH_RATE_LIMIT_PER_IP", 60),
                settings.positiveInt("AUTH_RATE_LIMIT_PER_PHONE", 10)),
            settings.optional("BOOTSTRAP_ADMIN_PHONE"),
            Duration.ofSeconds(settings.positiveInt("SHUTDOWN_GRACE_SECONDS", 20)),
            settings.zone("CIVIC_TIME_ZONE", DEFAULT_TIME_ZONE),
            envUnset,
            new SessionConfig(
                settings.boundedDuration(
                    "REFRESH_ABSOLUTE_LIFETIME",
                    Duration.ofDays(30),
                    SessionConfig.MIN_ABSOLUTE_LIFETIME,
                    SessionConfig.MAX_ABSOLUTE_LIFETIME)),
            http(settings),
            console(settings),
            expiry(settings),
            new NoticeConfig(
                Duration.ofMinutes(settings.positiveInt("CIVIC_REMINDER_MINUTES", 60)),
                Duration.ofSeconds(settings.positiveInt("CIVIC_REMINDER_PERIOD_SECONDS", 30))),
            evidence(settings),
            certificates(settings));
    config
        .bootstrapAdminPhone
        .filter(phone -> !E164.matcher(phone).matches())
        .ifPresent(
            phone -> settings.invalid("BOOTSTRAP_ADMIN_PHONE", "is not an E.164 phone number"));
    settings.throwIfAnyProblem(env);
    return config;
  }

  /** Service certificates: who issues them, and the public URL their QR codes point at. */
  private static CertificateConfig certificates(Settings settings) {
    String publicUrl = settings.text("CIVIC_PUBLIC_URL", "http://localhost:8080");
    if (!ORIGIN.matcher(publicUrl).matches()) {
      settings.invalid(
          "CIVIC_PUBLIC_URL", "is not an http(s) origin such as https://points.example.cn");
    }
    return new CertificateConfig(
        settings.text("CIVIC_CERTIFICATE_ISSUER", CertificateConfig.DEFAULT_ISSUER), publicUrl);
  }

  private static FabricConfig fabric(Settings settings) {
    return new FabricConfig(
        settings.optional("FABRIC_PEER_ENDPOINT"),
        settings.optional("FABRIC_MSP_ID"),
        settings.optional("FABRIC_CERT").map(Path::of),
        settings.optional("FABRIC_KEY").map(Path::of),
        settings.optional("FABRIC_TLS_CA").map(Path::of),
        settings.optional("FABRIC_RULES_CERT").map(Path::of),
        settings.optional("FABRIC_RULES_KEY").map(Path::of),
        settings.text("FABRIC_CHANNEL", "civic"),
        settings.text("FABRIC_CHAINCODE", "points"),
        settings.port("FABRIC_DEVNET_PORT", 7051));
  }

  /** CIVIC_EXPIRY_POLICY (NONE by default) and CIVIC_EXPIRY_YEARS (1 by default). */
  private static ExpiryPolicy expiry(Settings settings) {
    String policy = settings.text("CIVIC_EXPIRY_POLICY", "NONE").toUpperCase(Locale.ROOT);
    int years = settings.integer("CIVIC_EXPIRY_YEARS", 1);
    ExpiryPolicy.Kind kind =
        Arrays.stream(ExpiryPolicy.Kind.values())
            .filter(known -> known.name().equals(policy))
            .findFirst()
            .orElse(null);
    if (kind == null) {
      settings.invalid(
          "CIVIC_EXPIRY_POLICY", "must be NONE or END_OF_YEAR_AFTER, not '" + policy + "'");
    }
    if (years < ExpiryPolicy.MIN_YEARS || years > ExpiryPolicy.MAX_YEARS) {
      settings.invalid(
          "CIVIC_EXPIRY_YEARS",
          "must be a whole number of years from "
              + ExpiryPolicy.MIN_YEARS
              + " to "
              + ExpiryPolicy.MAX_YEARS
              + ", not "
              + years);
      return ExpiryPolicy.none();
    }
    return kind == null ? ExpiryPolicy.none() : new ExpiryPolicy(kind, years);
  }

  /**
   * CIVIC_EVIDENCE_STORE gridfs (default) or gcs, the latter with CIVIC_EVIDENCE_BUCKET; a bucket
   * beside gridfs is refused too (photos would silently stay in MongoDB).
   */
  private static EvidenceConfig evidence(Settings settings) {
    String store = settings.text("CIVIC_EVIDENCE_STORE", "gridfs").toLowerCase(Locale.ROOT);
    Optional<String> bucket = settings.optional("CIVIC_EVIDENCE_BUCKET");
    bucket
        .filter(name -> !BUCKET.matcher(name).matches())
        .ifPresent(
            name ->
                settings.invalid(
                    "CIVIC_EVIDENCE_BUCKET",
                    "must be a Cloud Storage bucket name (3-63 lower-case letters, digits, - and _), not '"
                        + name
                        + "'"));
    switch (store) {
      case "gcs" -> {
        if (bucket.isEmpty()) {
          settings.invalid("CIVIC_EVIDENCE_BUCKET", "is required when CIVIC_EVIDENCE_STORE is gcs");
        }
        return new EvidenceConfig(EvidenceConfig.Store.GCS, bucket, Optional.empty());
      }
      case "gridfs" -> {
        bucket.ifPresent(
            name ->
                settings.invalid(
                    "CIVIC_EVIDENCE_BUCKET",
                    "is set but CIVIC_EVIDENCE_STORE is gridfs; set CIVIC_EVIDENCE_STORE=gcs to use the bucket"));
        return EvidenceConfig.gridFs();
      }
      default -> {
        settings.invalid("CIVIC_EVIDENCE_STORE", "must be gridfs or gcs, not '" + store + "'");
        return EvidenceConfig.gridFs();
      }
    }
  }

  private static HttpServerConfig http(Settings settings) {
    return new HttpServerConfig(
        Duration.ofSeconds(settings.positiveInt("HTTP_IDLE_TIMEOUT_SECONDS", 60)),
        Duration.ofSeconds(settings.positiveInt("HTTP_HEADER_TIMEOUT_SECONDS", 10)),
        settings.positiveInt("HTTP_MAX_REQUEST_LINE_BYTES", 4096),
        settings.positiveInt("HTTP_MAX_HEADER_BYTES", 8192),
        settings.cidrs("TRUSTED_PROXIES"));
  }

  private static ConsoleConfig console(Settings settings) {
    return new ConsoleConfig(
        settings.origins("CONSOLE_ORIGINS"),
        settings.optional("FIREBASE_WEB_API_KEY"),
        settings.optional("FIREBASE_AUTH_DOMAIN"));
  }

  /** Reads settings and collects what is wrong instead of failing on the first problem. */
  private static final class Settings {
    private final Map<String, String> environment;
    private final List<String> missing = new ArrayList<>();
    private final List<String> invalid = new ArrayList<>();

    Settings(Map<String, String> environment) {
      this.environment = environment;
    }

    Optional<String> optional(String name) {
      return Optional.ofNullable(environment.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    String text(String name, String fallback) {
      return optional(name).orElse(fallback);
    }

    void require(String name) {
      if (optional(name).isEmpty()) {
        missing.add(name);
      }
    }

    void forbid(String name, String why) {
      optional(name).ifPresent(v -> invalid(name, "must not be set: " + why));
    }

    void invalid(String name, String why) {
      invalid.add(name + " " + why);
    }

    /** Unset CIVIC_ENV with a production setting: one message, nothing else to fix first. */
    void refuseProductionSettingsWithoutEnv() {
      List<String> given =
          PRODUCTION_SETTINGS.stream().filter(n -> optional(n).isPresent()).toList();
      if (!given.isEmpty()) {
        throw ConfigException.envUnset(given);
      }
    }

    CivicEnv civicEnv() {
      String value = text("CIVIC_ENV", "dev");
      return switch (value.toLowerCase()) {
        case "dev" -> CivicEnv.DEV;
        case "prod" -> CivicEnv.PROD;
        default -> {
          invalid("CIVIC_ENV", "must be dev or prod, not '" + value + "'");
          yield CivicEnv.PROD;
        }
      };
    }

    ZoneId zone(String name, String fallback) {
      String value = text(name, fallback);
      try {
        return ZoneId.of(value);
      } catch (DateTimeException unknown) {
        invalid(name, "must be a time zone such as Asia/Shanghai or UTC, not '" + value + "'");
        return ZoneId.of(fallback);
      }
    }

    int port(String name, int fallback) {
      int port = integer(name, fallback);
      if (port < 0 || port > 65535) {
        invalid(name, "must be a port number (0-65535)");
      }
      return port;
    }

    int positiveInt(String name, int fallback) {
      int value = integer(name, fallback);
      if (value < 1) {
        invalid(name, "must be a positive integer");
      }
      return value;
    }

    /** An ISO-8601 duration ({@code P30D}, {@code PT12H}) or a whole number of days. */
    Duration boundedDuration(String name, Duration fallback, Duration min, Duration max) {
      Optional<String> value = optional(name);
      Duration duration = value.map(text -> duration(name, text)).orElse(fallback);
      if (duration != null && (duration.compareTo(min) < 0 || duration.compareTo(max) > 0)) {
        invalid(name, "must be between " + min + " and " + max + ", not " + duration);
      }
      return duration == null ? fallback : duration;
    }

    private Duration duration(String name, String text) {
      try {
        return text.matches("[0-9]{1,6}")
            ? Duration.ofDays(Integer.parseInt(text))
            : Duration.parse(text.toUpperCase());
      } catch (java.time.format.DateTimeParseException notADuration) {
        invalid(name, "must be an ISO-8601 duration (P30D, PT12H) or days, not '" + text + "'");
        return null;
      }
    }

    /** Comma-separated CIDR blocks; empty when unset. */
    List<Cidr> cidrs(String name) {
      List<Cidr> blocks = new ArrayList<>();
      for (String block : text(name, "").split(",")) {
        if (block.isBlank()) {
          continue;
        }
        try {
          blocks.add(Cidr.parse(block));
        } catch (IllegalArgumentException notABlock) {
          invalid(
              name,
              "has '" + block.trim() + "', which is not a CIDR block: " + notABlock.getMessage());
        }
      }
      return blocks;
    }

    /** Comma-separated web origins ({@code https://console.example.org}); empty when unset. */
    List<String> origins(String name) {
      List<String> origins = new ArrayList<>();
      for (String origin : text(name, "").split(",")) {
        String trimmed = origin.strip();
        if (ORIGIN.matcher(trimmed).matches()) {
          origins.add(trimmed.toLowerCase(java.util.Locale.ROOT));
        } else if (!trimmed.isEmpty()) {
          invalid(
              name, "has '" + trimmed + "', which is not an origin such as https://host[:port]");
        }
      }
      return origins;
    }

    int integer(String name, int fallback) {
      Optional<String> value = optional(name);
      if (value.isEmpty()) {
        return fallback;
      }
      try {
        return Integer.parseInt(value.get());
      } catch (NumberFormatException notANumber) {
        invalid(name, "must be an integer, not '" + value.get() + "'");
        return fallback;
      }
    }

    void throwIfAnyProblem(CivicEnv env) {
      List<String> problems = new ArrayList<>();
      if (!missing.isEmpty()) {
        problems.add("missing " + String.join(", ", missing));
      }
      problems.addAll(invalid);
      if (!problems.isEmpty()) {
        throw new ConfigException(env, problems);
      }
    }
  }
}
