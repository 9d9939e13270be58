package org.civicpoints.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.config.FabricConfig;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.embedded.EmbeddedDevnet;
import org.civicpoints.api.embedded.EmbeddedMongo;
import org.civicpoints.api.fabric.FabricLedger;
import org.civicpoints.api.firebase.FcmPushSender;
import org.civicpoints.api.firebase.FirebaseIdentityVerifier;
import org.civicpoints.api.firebase.FirebaseNotConfigured;
import org.civicpoints.api.http.ActivityHandlers;
import org.civicpoints.api.http.ApprovalHandlers;
import org.civicpoints.api.http.AuditHandlers;
import org.civicpoints.api.http.AuthHandlers;
import org.civicpoints.api.http.ClientAddresses;
import org.civicpoints.api.http.ConsoleSettings;
import org.civicpoints.api.http.Contract;
import org.civicpoints.api.http.InvalidRequests;
import org.civicpoints.api.http.LeaderboardHandlers;
import org.civicpoints.api.http.LedgerHandlers;
import org.civicpoints.api.http.MemberHandlers;
import org.civicpoints.api.http.NotificationHandlers;
import org.civicpoints.api.http.OpsHandlers;
import org.civicpoints.api.http.OrganisationHandlers;
import org.civicpoints.api.http.PointRuleHandlers;
import org.civicpoints.api.http.PointsHandlers;
import org.civicpoints.api.http.RequestHeadTimeout;
import org.civicpoints.api.http.Routes;
import org.civicpoints.api.http.SessionCookie;
import org.civicpoints.api.http.SubmissionHandlers;
import org.civicpoints.api.mongo.MongoActivities;
import org.civicpoints.api.mongo.MongoAttendances;
import org.civicpoints.api.mongo.MongoAuditTrail;
import org.civicpoints.api.mongo.MongoBoardMembers;
import org.civicpoints.api.mongo.MongoCommunityChanges;
import org.civicpoints.api.mongo.MongoDeviceTokens;
import org.civicpoints.api.mongo.MongoExportAudit;
import org.civicpoints.api.mongo.MongoInbox;
import org.civicpoints.api.mongo.MongoLedgerOutbox;
import org.civicpoints.api.mongo.MongoMembers;
import org.civicpoints.api.mongo.MongoOrgUnits;
import org.civicpoints.api.mongo.MongoPointRules;
import org.civicpoints.api.mongo.MongoPointsReadModel;
import org.civicpoints.api.mongo.MongoProjectorCheckpoints;
import org.civicpoints.api.mongo.MongoRefreshTokens;
import org.civicpoints.api.mongo.MongoStandings;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.mongo.MongoSubmissions;
import org.civicpoints.api.port.IdentityVerifier;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.PointsProjection;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.civicpoints.api.service.AccessTokens;
import org.civicpoints.api.service.ActivityService;
import org.civicpoints.api.service.ApprovalService;
import org.civicpoints.api.service.AuditLog;
import org.civicpoints.api.service.DemoCity;
import org.civicpoints.api.service.HealthService;
import org.civicpoints.api.service.LeaderboardService;
import org.civicpoints.api.service.LedgerProjector;
import org.civicpoints.api.service.LedgerRelay;
import org.civicpoints.api.service.LedgerStatusService;
import org.civicpoints.api.service.MemberService;
import org.civicpoints.api.service.NotificationService;
import org.civicpoints.api.service.OrgUnitService;
import org.civicpoints.api.service.OrganisationService;
import org.civicpoints.api.service.PointRuleService;
import org.civicpoints.api.service.PointsReadModelProjection;
import org.civicpoints.api.service.PointsService;
import org.civicpoints.api.service.RefreshTokenSweeper;
import org.civicpoints.api.service.SessionService;
import org.civicpoints.api.service.SignInLimits;
import org.civicpoints.api.service.SigningKeys;
import org.civicpoints.api.service.StandingsProjection;
import org.civicpoints.api.service.SubmissionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the API: store → org units → keys → identity → contract → router → listen. */
public final class ApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);

  private final ApiConfig config;

  /** The server's one clock, in the configured zone (CIVIC_TIME_ZONE): see CivicCalendar. */
  private final Clock clock;

  private EmbeddedMongo embeddedMongo;
  private EmbeddedDevnet embeddedDevnet;
  private MongoStore store;
  private MongoMembers members;
  private MongoRefreshTokens refreshTokens;
  private MongoCommunityChanges communityChanges;
  private MongoOrgUnits orgUnits;
  private OrganisationService organisation;
  private OrgUnitService orgUnitService;
  private long organisationRefresh = -1;
  private MongoStandings standings;
  private MongoBoardMembers boardMembers;
  private StandingsProjection standingsProjection;
  private volatile SigningKeys signingKeys;
  private IdentityVerifier identityVerifier;
  private Ledger ledger;

  /** Names this instance's relay leases and projector lease. */
  private final String instanceId = "api-" + Ids.shortRandom();

  private MongoLedgerOutbox ledgerOutbox;
  private MongoPointsReadModel pointsReadModel;
  private LedgerRelay ledgerRelay;
  private MongoProjectorCheckpoints projectorCheckpoints;
  private LedgerProjector pointsProjector;
  private LedgerProjector standingsProjector;
  private HttpServer server;
  private RefreshTokenSweeper refreshTokenSweeper;
  // Catalog: rules, activities, submissions, approvals, audit, notifications.
  private FcmPushSender pushSender;
  private NotificationService notifications;
  private AuditLog auditLog;
  private PointRuleService pointRuleService;
  private ActivityService activityService;
  private SubmissionService submissionService;
  private MongoSubmissions submissions;
  private MongoActivities activities;
  private MongoAttendances attendances;
  private ApprovalService approvalService;

  public ApiVerticle(ApiConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * Tests pass a fixed clock; whatever its zone, the server's days are days in the configured one.
   */
  public ApiVerticle(ApiConfig config, Clock clock) {
    this.config = config;
    this.clock = clock.withZone(config.timeZone());
  }

  @Override
  public Future<?> start() {
    return openStore()
        .compose(v -> createIndexes())
        .compose(v -> openCatalog())
        .compose(v -> loadOrganisation())
        .compose(v -> loadSigningKeys())
        .compose(v -> openIdentityVerifier())
        .compose(v -> openLedger())
        .compose(v -> Contract.load(vertx))
        .map(this::router)
        .compose(this::listen)
        .onSuccess(listening -> startLedgerWritePath())
        .onSuccess(listening -> refreshTokenSweeper.start())
        // Vert.x does not call stop() after a failed start: close what did open, then report why.
        .recover(failure -> stop().transform(closed -> Future.failedFuture(failure)));
  }

  /**
   * The read models the standings projector feeds with every PointsMoved transaction (tests feed
   * them directly).
   */
  public List<PointsProjection> pointsProjections() {
    return List.of(standingsProjection);
  }

  /** The job that deletes expired refresh tokens (tests run a sweep when they want one). */
  public RefreshTokenSweeper refreshTokenSweeper() {
    return refreshTokenSweeper;
  }

  /** The port the server listens on (useful when HTTP_PORT is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private Future<Void> openStore() {
    Future<String> uri =
        config
            .mongo()
            .uri()
            .map(Future::succeededFuture)
            .orElseGet(
                () -> {
                  if (!config.isDev()) {
                    return Future.failedFuture(
                        new IllegalStateException("MONGO_URI is required in prod"));
                  }
                  return vertx.executeBlocking(
                      () -> {
                        embeddedMongo = EmbeddedMongo.start(config.dataDir());
                        return embeddedMongo.connectionString();
                      });
                });
    return uri.map(
        connection -> {
          store = new MongoStore(connection, config.mongo().database());
          members = new MongoMembers(store);
          refreshTokens = new MongoRefreshTokens(store);
          communityChanges = new MongoCommunityChanges(store);
          orgUnits = new MongoOrgUnits(store);
          organisation = new OrganisationService(orgUnits);
          standings = new MongoStandings(store);
          boardMembers = new MongoBoardMembers(store);
          standingsProjection = new StandingsProjection(standings, members, organisation, clock);
          ledgerOutbox = new MongoLedgerOutbox(store);
          pointsReadModel = new MongoPointsReadModel(store);
          projectorCheckpoints = new MongoProjectorCheckpoints(store);
          return null;
        });
  }

  private Future<Void> createIndexes() {
    return members
        .createIndexes()
        .compose(v -> refreshTokens.createIndexes())
        .compose(v -> communityChanges.createIndexes())
        .compose(v -> orgUnits.createIndexes())
        .compose(v -> standings.createIndexes())
        .compose(v -> boardMembers.createIndexes())
        .compose(v -> pointsReadModel.createIndexes())
        .compose(v -> ledgerOutbox.createIndexes());
  }

  /**
   * Rules, activities, attendance, submissions, audit and notifications: adapters, their indexes,
   * and push through FCM when Firebase is configured (FCM has no emulator: off with the Auth
   * emulator).
   */
  private Future<Void> openCatalog() {
    MongoPointRules rules = new MongoPointRules(store);
    MongoActivities activities = new MongoActivities(store);
    MongoAttendances attendances = new MongoAttendances(store);
    MongoSubmissions submissions = new MongoSubmissions(store);
    MongoAuditTrail audit = new MongoAuditTrail(store);
    MongoInbox inbox = new MongoInbox(store);
    MongoDeviceTokens devices = new MongoDeviceTokens(store);
    boolean push = config.firebase().enabled() && config.firebase().authEmulatorHost().isEmpty();
    Future<Void> pushReady =
        !push
            ? Future.succeededFuture()
            : vertx.executeBlocking(
                () -> {
                  pushSender = FcmPushSender.create(vertx, config.firebase());
                  return null;
                });
    return Future.all(
            List.of(
                rules.createIndexes(),
                activities.createIndexes(),
                attendances.createIndexes(),
                submissions.createIndexes(),
                audit.createIndexes(),
                inbox.createIndexes(),
                devices.createIndexes(),
                pushReady))
        .map(
            ready -> {
              LOG.info(
                  "Push notifications are {}",
                  push ? "on (FCM)" : "off (Firebase is not configured for FCM)");
              notifications = new NotificationService(inbox, devices, pushSender, members, clock);
              auditLog = new AuditLog(audit, clock);
              pointRuleService = new PointRuleService(rules, auditLog, clock);
              activityService =
                  new ActivityService(
                      activities, attendances, rules, organisation, auditLog, clock);
              submissionService =
                  new SubmissionService(submissions, activityService, attendances, clock);
              this.submissions = submissions;
              this.activities = activities;
              this.attendances = attendances;
              return null;
            });
  }

  /** The org tree, with the demo city imported first on dev servers; then kept fresh. */
  private Future<Void> loadOrganisation() {
    orgUnitService = new OrgUnitService(orgUnits, organisation, auditLog, clock);
    Future<Void> seeded =
        config.isDev()
            ? orgUnitService.seed(DemoCity.csv(), DemoCity::idOf)
            : Future.succeededFuture();
    return seeded
        .compose(v -> organisation.reload())
        .map(
            loaded -> {
              organisationRefresh = organisation.refreshPeriodically(vertx);
              return null;
            });
  }

  private Future<Void> loadSigningKeys() {
    return vertx.executeBlocking(
        () -> {
          signingKeys = SigningKeys.loadOrCreate(config.jwt().keyFile(), config.isDev());
          LOG.info(
              "Access tokens signed with key {} from {}",
              signingKeys.current().kid(),
              config.jwt().keyFile().toAbsolutePath());
          return null;
        });
  }

  private Future<Void> openIdentityVerifier() {
    if (!config.firebase().enabled()) {
      LOG.info("Firebase sign-in is off (FIREBASE_PROJECT_ID is unset)");
      identityVerifier = new FirebaseNotConfigured();
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(
        () -> {
          identityVerifier = FirebaseIdentityVerifier.create(vertx, config.firebase());
          return null;
        });
  }

  /**
   * FABRIC_PEER_ENDPOINT set: that peer. Unset (dev only): the embedded devnet, reached the same
   * way.
   */
  private Future<Void> openLedger() {
    return vertx.executeBlocking(
        () -> {
          FabricConfig fabric = config.fabric();
          if (fabric.peerEndpoint().isEmpty()) {
            if (!config.isDev()) {
              throw new IllegalStateException("FABRIC_PEER_ENDPOINT is required in prod");
            }
            embeddedDevnet = EmbeddedDevnet.start(config.dataDir(), fabric);
            fabric = embeddedDevnet.clientSettings();
          }
          ledger = FabricLedger.connect(vertx, fabric);
          return null;
        });
  }

  private Router router(Contract contract) {
    AccessTokens accessTokens =
        new AccessTokens(
            () -> signingKeys,
            config.jwt().issuer(),
            config.jwt().audience(),
            config.jwt().accessTokenTtl(),
            clock);
    SessionService sessions =
        new SessionService(
            members,
            refreshTokens,
            identityVerifier,
            accessTokens,
            organisation,
            new SignInLimits(
                config.rateLimits().perIpPerMinute(),
                config.rateLimits().perPhonePerMinute(),
                clock),
            config.jwt().refreshTokenTtl(),
            config.sessions().refreshAbsoluteLifetime(),
            config.bootstrapAdminPhone(),
            clock);
    refreshTokenSweeper = new RefreshTokenSweeper(vertx, refreshTokens, clock);
    MemberService memberService =
        new MemberService(members, communityChanges, organisation, auditLog, clock);
    HealthService health = new HealthService(List.of(store, ledger));
    wireLedgerWritePath();
    ConsoleSettings console = new ConsoleSettings(config);
    return Routes.build(
        vertx,
        contract,
        accessTokens,
        memberService::languageOf,
        organisation::organisation,
        List.of(
            new AuthHandlers(
                    sessions,
                    () -> signingKeys,
                    config.isDev(),
                    new ClientAddresses(config.http().trustedProxies()),
                    sessionCookie())
                .operations(),
            console.operations(),
            new MemberHandlers(memberService).operations(),
            new OrganisationHandlers(organisation, orgUnitService).operations(),
            new PointRuleHandlers(pointRuleService).operations(),
            new ActivityHandlers(activityService).operations(),
            new SubmissionHandlers(submissionService).operations(),
            new ApprovalHandlers(approvalService, submissionService).operations(),
            new AuditHandlers(auditLog).operations(),
            new NotificationHandlers(notifications).operations(),
            new LeaderboardHandlers(
                    new LeaderboardService(
                        standings,
                        boardMembers,
                        members,
                        organisation,
                        new MongoExportAudit(store),
                        clock),
                    vertx.createSharedWorkerExecutor("leaderboard-export", 2))
                .operations(),
            new PointsHandlers(new PointsService(pointsReadModel, projectorCheckpoints, ledger))
                .operations(),
            new LedgerHandlers(
                    new LedgerStatusService(
                        ledger,
                        ledgerOutbox,
                        projectorCheckpoints,
                        ledgerRelay,
                        pointsProjector,
                        clock))
                .operations(),
            new OpsHandlers(health).operations()),
        console.contentSecurityPolicy());
  }

  /** The web console's refresh-token cookie: Secure except on a development server (http). */
  private SessionCookie sessionCookie() {
    return new SessionCookie(
        !config.isDev(), config.jwt().refreshTokenTtl(), config.console().allowedOrigins());
  }

  /**
   * Approvals, which hand their awards to the relay (outbox → chain), and the projectors (chain →
   * read models); the relay and the projectors start once the server listens.
   */
  private void wireLedgerWritePath() {
    Notifier notifier = notifications;
    ledgerRelay = new LedgerRelay(vertx, ledgerOutbox, ledger, notifier, instanceId, clock);
    approvalService =
        new ApprovalService(
            submissions, activities, attendances, auditLog, notifier, ledgerRelay, clock);
    pointsProjector =
        new LedgerProjector(
            vertx,
            ledger,
            projectorCheckpoints,
            ProjectorCheckpoints.POINTS,
            new PointsReadModelProjection(ledger, pointsReadModel, notifier),
            instanceId,
            clock);
    standingsProjector =
        new LedgerProjector(
            vertx,
            ledger,
            projectorCheckpoints,
            ProjectorCheckpoints.STANDINGS,
            standingsProjection,
            instanceId,
            clock);
  }

  private void startLedgerWritePath() {
    ledgerRelay.start();
    pointsProjector.start();
    standingsProjector.start();
  }

  private Future<HttpServer> listen(Router router) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.httpHost())
            .setPort(config.httpPort())
            .setIdleTimeout((int) config.http().idleTimeout().toSeconds())
            .setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setMaxInitialLineLength(config.http().maxRequestLineBytes())
            .setMaxHeaderSize(config.http().maxHeaderBytes())
            // Without h2c an HTTP/1.x connection is handed over at once, so RequestHeadTimeout
            // sees its first request's bytes; cleartext HTTP/2 has no client here (the edge
            // speaks TLS, and HTTP/2 over TLS is negotiated by ALPN, not h2c).
            .setHttp2ClearTextEnabled(false)
            // gzip for clients that ask (the console's assets, JSON for phones on slow links).
            .setCompressionSupported(true);
    return vertx
        .createHttpServer(options)
        .connectionHandler(new RequestHeadTimeout(config.http().requestHeadTimeout()))
        .invalidRequestHandler(new InvalidRequests(config.http()))
        .requestHandler(router)
        .listen()
        .onSuccess(
            listening -> {
              server = listening;
              LOG.info(
                  "civic-points API ({}) listening on {}:{}; a day is a day in {}",
                  config.envDescription(),
                  config.httpHost(),
                  listening.actualPort(),
                  config.timeZone());
            });
  }

  /**
   * Stops accepting, lets in-flight requests finish (up to the grace period), then closes clients.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(organisationRefresh);
    Future<Void> drained =
        server == null
            ? Future.succeededFuture()
            : server.shutdown(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
    if (refreshTokenSweeper != null) {
      refreshTokenSweeper.stop();
    }
    return drained
        .compose(v -> stopRelay())
        .compose(v -> stopProjector(pointsProjector))
        .compose(v -> stopProjector(standingsProjector))
        .compose(
            v -> identityVerifier == null ? Future.succeededFuture() : identityVerifier.close())
        .compose(v -> ledger == null ? Future.succeededFuture() : ledger.close())
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> {
                      closeStore();
                      return null;
                    }));
  }

  /** After the last request: approvals it answered may still hand awards to the relay. */
  private Future<Void> stopRelay() {
    return ledgerRelay == null
        ? Future.succeededFuture()
        : ledgerRelay
            .stop()
            .recover(
                failure -> {
                  LOG.warn(
                      "The relay's unsent awards keep their first lease; another instance sends them when it lapses",
                      failure);
                  return Future.succeededFuture();
                });
  }

  private static Future<Void> stopProjector(LedgerProjector projector) {
    return projector == null
        ? Future.succeededFuture()
        : projector
            .stop()
            .recover(
                failure -> {
                  LOG.warn(
                      "A projector lease was not released; another instance takes over when it lapses",
                      failure);
                  return Future.succeededFuture();
                });
  }

  private void closeStore() {
    if (pushSender != null) {
      pushSender.close();
    }
    if (embeddedDevnet != null) {
      embeddedDevnet.stop();
    }
    if (store != null) {
      store.close();
    }
    if (embeddedMongo != null) {
      embeddedMongo.stop();
    }
    LOG.info("civic-points API stopped");
  }
}
