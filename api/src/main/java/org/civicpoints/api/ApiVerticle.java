package org.civicpoints.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.config.EvidenceConfig;
import org.civicpoints.api.config.FabricConfig;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.embedded.EmbeddedDevnet;
import org.civicpoints.api.embedded.EmbeddedMongo;
import org.civicpoints.api.fabric.FabricLedger;
import org.civicpoints.api.firebase.FcmPushSender;
import org.civicpoints.api.firebase.FirebaseIdentityVerifier;
import org.civicpoints.api.firebase.FirebaseNotConfigured;
import org.civicpoints.api.gcs.GcsEvidenceStore;
import org.civicpoints.api.http.ActivityHandlers;
import org.civicpoints.api.http.AnnouncementHandlers;
import org.civicpoints.api.http.ApprovalHandlers;
import org.civicpoints.api.http.AssistedResidentHandlers;
import org.civicpoints.api.http.AuditHandlers;
import org.civicpoints.api.http.AuthHandlers;
import org.civicpoints.api.http.CertificateHandlers;
import org.civicpoints.api.http.ClientAddresses;
import org.civicpoints.api.http.ConsoleSettings;
import org.civicpoints.api.http.Contract;
import org.civicpoints.api.http.DataRightsHandlers;
import org.civicpoints.api.http.EvidenceHandlers;
import org.civicpoints.api.http.InvalidRequests;
import org.civicpoints.api.http.LeaderboardHandlers;
import org.civicpoints.api.http.LedgerHandlers;
import org.civicpoints.api.http.MemberHandlers;
import org.civicpoints.api.http.NotificationHandlers;
import org.civicpoints.api.http.OpsHandlers;
import org.civicpoints.api.http.OrganisationHandlers;
import org.civicpoints.api.http.PointRuleHandlers;
import org.civicpoints.api.http.PointsHandlers;
import org.civicpoints.api.http.ReconciliationHandlers;
import org.civicpoints.api.http.RequestHeadTimeout;
import org.civicpoints.api.http.RewardHandlers;
import org.civicpoints.api.http.Routes;
import org.civicpoints.api.http.SessionCookie;
import org.civicpoints.api.http.SubmissionHandlers;
import org.civicpoints.api.mongo.GridFsEvidenceStore;
import org.civicpoints.api.mongo.MongoAnnouncements;
import org.civicpoints.api.mongo.MongoCertificates;
import org.civicpoints.api.mongo.MongoConsents;
import org.civicpoints.api.mongo.MongoDataExports;
import org.civicpoints.api.mongo.MongoEvidences;
import org.civicpoints.api.mongo.MongoExpiryRuns;
import org.civicpoints.api.mongo.MongoMemberData;
import org.civicpoints.api.mongo.MongoNotificationSettings;
import org.civicpoints.api.mongo.MongoReconciliations;
import org.civicpoints.api.mongo.MongoRedemptions;
import org.civicpoints.api.mongo.MongoRewards;
import org.civicpoints.api.mongo.MongoServiceRecords;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.mongo.MongoWaitlist;
import org.civicpoints.api.port.EvidenceStore;
import org.civicpoints.api.port.IdentityVerifier;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.civicpoints.api.service.AccessTokens;
import org.civicpoints.api.service.AccountDeletion;
import org.civicpoints.api.service.ActivityNotices;
import org.civicpoints.api.service.ActivityService;
import org.civicpoints.api.service.AnnouncementService;
import org.civicpoints.api.service.ApprovalService;
import org.civicpoints.api.service.AssistedResidentService;
import org.civicpoints.api.service.AuditLog;
import org.civicpoints.api.service.CertificatePdf;
import org.civicpoints.api.service.CertificateService;
import org.civicpoints.api.service.ConsentService;
import org.civicpoints.api.service.DataExportService;
import org.civicpoints.api.service.DeletedMembers;
import org.civicpoints.api.service.DemoCity;
import org.civicpoints.api.service.EvidenceService;
import org.civicpoints.api.service.EvidenceSweeper;
import org.civicpoints.api.service.HealthService;
import org.civicpoints.api.service.LeaderboardService;
import org.civicpoints.api.service.LeasedJob;
import org.civicpoints.api.service.LedgerProjector;
import org.civicpoints.api.service.LedgerReconciliation;
import org.civicpoints.api.service.LedgerRelay;
import org.civicpoints.api.service.LedgerStatusService;
import org.civicpoints.api.service.MemberService;
import org.civicpoints.api.service.MessageCatalogue;
import org.civicpoints.api.service.NotificationService;
import org.civicpoints.api.service.OrgUnitService;
import org.civicpoints.api.service.OrganisationService;
import org.civicpoints.api.service.PointRuleService;
import org.civicpoints.api.service.PointsExpiry;
import org.civicpoints.api.service.PointsReadModelProjection;
import org.civicpoints.api.service.PointsService;
import org.civicpoints.api.service.ReconciliationService;
import org.civicpoints.api.service.RedemptionExpiry;
import org.civicpoints.api.service.RedemptionProjection;
import org.civicpoints.api.service.RedemptionService;
import org.civicpoints.api.service.RefreshTokenSweeper;
import org.civicpoints.api.service.RewardService;
import org.civicpoints.api.service.ServiceLevels;
import org.civicpoints.api.service.SessionService;
import org.civicpoints.api.service.SignInLimits;
import org.civicpoints.api.service.SigningKeys;
import org.civicpoints.api.service.StandingsProjection;
import org.civicpoints.api.service.SubmissionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the infrastructure (store, ledger, identity, keys, push), builds
 * every adapter and service once, routes the contract's operations to their handlers, listens, then
 * starts the background work (relay, projectors, sweeper, org-tree refresh).
 */
public final class ApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);

  private final ApiConfig config;

  /** The server's one clock, in the configured zone (CIVIC_TIME_ZONE): see CivicCalendar. */
  private final Clock clock;

  /** Names this instance's relay leases and projector lease. */
  private final String instanceId = "api-" + Ids.shortRandom();

  // Infrastructure: opened by start(), closed by stop().
  private EmbeddedMongo embeddedMongo;
  private EmbeddedDevnet embeddedDevnet;
  private MongoStore store;
  private Ledger ledger;
  private IdentityVerifier identityVerifier;
  private FcmPushSender pushSender;
  private volatile SigningKeys signingKeys;
  private HttpServer server;

  // Background work: started once the server listens, stopped by stop().
  private OrganisationService organisation;
  private long organisationRefresh = -1;
  private RefreshTokenSweeper refreshTokenSweeper;
  private LedgerRelay ledgerRelay;
  private LedgerProjector pointsProjector;
  private LedgerProjector standingsProjector;
  private LedgerProjector redemptionsProjector;
  private RedemptionExpiry redemptionExpiry;
  private PointsExpiry pointsExpiry;
  private ActivityNotices activityNotices;
  private Future<Void> mallIndexes;
  private Future<Void> announcementIndexes;
  private EvidenceSweeper evidenceSweeper;
  private Future<Void> evidenceIndexes;
  private LedgerProjector serviceProjector;
  private ServiceLevels serviceLevels;
  private Future<Void> certificateIndexes;
  private LedgerReconciliation reconciliation;
  private Future<Void> reconciliationIndexes;
  private Future<Void> findingIndexes;
  private LeaderboardService leaderboardService;
  private EvidenceStore evidenceStore;
  private DeletedMembers deletedMembers;
  private Future<Void> dataRightsIndexes;

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
        .compose(v -> loadSigningKeys())
        .compose(v -> openIdentityVerifier())
        .compose(v -> openLedger())
        .compose(v -> openPush())
        .compose(v -> wire())
        .compose(this::listen)
        .onSuccess(listening -> startBackgroundWork())
        // Vert.x does not call stop() after a failed start: close what did open, then report why.
        .recover(failure -> stop().transform(closed -> Future.failedFuture(failure)));
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

  /** Push through FCM when Firebase is configured for it (FCM has no emulator: off with it). */
  private Future<Void> openPush() {
    boolean push = config.firebase().enabled() && config.firebase().authEmulatorHost().isEmpty();
    LOG.info(
        "Push notifications are {}",
        push ? "on (FCM)" : "off (Firebase is not configured for FCM)");
    return !push
        ? Future.succeededFuture()
        : vertx.executeBlocking(
            () -> {
              pushSender = FcmPushSender.create(vertx, config.firebase());
              return null;
            });
  }

  /**
   * Every adapter and service, built once; the router once the indexes exist and the org tree is
   * loaded.
   */
  private Future<Router> wire() {
    Adapters db = Adapters.on(store);
    organisation = new OrganisationService(db.orgUnits());
    AuditLog auditLog = new AuditLog(db.audit(), clock);
    NotificationService notifications =
        new NotificationService(
            db.inbox(),
            db.devices(),
            pushSender,
            db.members(),
            db.submissions(),
            new MongoNotificationSettings(store),
            clock);
    AccessTokens accessTokens =
        new AccessTokens(
            () -> signingKeys,
            config.jwt().issuer(),
            config.jwt().audience(),
            config.jwt().accessTokenTtl(),
            clock);
    MemberService memberService =
        new MemberService(db.members(), db.communityChanges(), organisation, auditLog, clock);
    OrgUnitService orgUnitService =
        new OrgUnitService(db.orgUnits(), organisation, auditLog, clock);
    ActivityService activityService =
        new ActivityService(
            db.activities(), db.attendances(), db.rules(), organisation, auditLog, clock);
    EvidenceService evidence = openEvidence();
    openFinding(db, activityService, evidence);
    SubmissionService submissionService =
        new SubmissionService(
            db.submissions(), activityService, db.attendances(), evidence, auditLog, clock);
    openNotices(db, activityService, notifications);
    ledgerRelay =
        new LedgerRelay(
            vertx, db.ledgerOutbox(), ledger, notifications, db.checkpoints(), instanceId, clock);
    ApprovalService approvalService =
        new ApprovalService(
            db.submissions(),
            db.members(),
            db.activities(),
            db.attendances(),
            auditLog,
            notifications,
            ledgerRelay,
            clock);
    pointsProjector =
        projector(
            ProjectorCheckpoints.POINTS,
            new PointsReadModelProjection(ledger, db.pointsReadModel(), notifications),
            db);
    standingsProjector =
        projector(
            ProjectorCheckpoints.STANDINGS,
            new StandingsProjection(db.standings(), db.members(), organisation, clock),
            db);
    refreshTokenSweeper = new RefreshTokenSweeper(vertx, db.refreshTokens(), clock);
    openExpiry(db, notifications);
    ConsoleSettings console = new ConsoleSettings(config);
    CertificateHandlers certificates = openCertificates(db, notifications);
    List<Map<String, Handler<RoutingContext>>> handlers =
        List.of(
            new AuthHandlers(
                    sessions(db, accessTokens),
                    () -> signingKeys,
                    config.isDev(),
                    new ClientAddresses(config.http().trustedProxies()),
                    sessionCookie())
                .operations(),
            console.operations(),
            new MemberHandlers(memberService, serviceLevels).operations(),
            new OrganisationHandlers(organisation, orgUnitService, memberService::languageOf)
                .operations(),
            new PointRuleHandlers(new PointRuleService(db.rules(), auditLog, clock)).operations(),
            new ActivityHandlers(activityService).operations(),
            new SubmissionHandlers(submissionService).operations(),
            new EvidenceHandlers(evidence).operations(),
            new ApprovalHandlers(approvalService, submissionService).operations(),
            openAssistedResidents(db, auditLog, activityService, submissionService).operations(),
            new AuditHandlers(auditLog).operations(),
            new NotificationHandlers(notifications).operations(),
            leaderboards(db).operations(),
            new PointsHandlers(
                    new PointsService(
                        db.pointsReadModel(),
                        db.checkpoints(),
                        ledger,
                        config.expiry(),
                        new MongoRedemptions(store)),
                    submissionService)
                .operations(),
            ledgerStatus(db).operations(),
            openReconciliation(db, auditLog).operations(),
            openMall(db, auditLog).operations(),
            openAnnouncements(db, notifications, auditLog).operations(),
            certificates.operations(),
            openDataRights(db, accessTokens, memberService, auditLog).operations(),
            new OpsHandlers(new HealthService(List.of(store, ledger))).operations());
    return db.createIndexes()
        .compose(v -> mallIndexes)
        .compose(v -> announcementIndexes)
        .compose(v -> evidenceIndexes)
        .compose(v -> certificateIndexes)
        .compose(v -> reconciliationIndexes)
        .compose(v -> findingIndexes)
        .compose(v -> dataRightsIndexes)
        .compose(v -> loadOrganisation(orgUnitService))
        .compose(v -> Contract.load(vertx))
        .map(
            contract ->
                Routes.build(
                    vertx,
                    contract,
                    accessTokens,
                    memberService::languageOf,
                    organisation::organisation,
                    handlers,
                    console.contentSecurityPolicy()));
  }

  /** The web console's refresh-token cookie: Secure except on a development server (http). */
  private SessionCookie sessionCookie() {
    return new SessionCookie(
        !config.isDev(), config.jwt().refreshTokenTtl(), config.console().allowedOrigins());
  }

  private SessionService sessions(Adapters db, AccessTokens accessTokens) {
    return new SessionService(
        db.members(),
        db.refreshTokens(),
        identityVerifier,
        accessTokens,
        organisation,
        new SignInLimits(
            config.rateLimits().perIpPerMinute(), config.rateLimits().perPhonePerMinute(), clock),
        config.jwt().refreshTokenTtl(),
        config.sessions().refreshAbsoluteLifetime(),
        config.bootstrapAdminPhone(),
        clock);
  }

  private LeaderboardHandlers leaderboards(Adapters db) {
    leaderboardService =
        new LeaderboardService(
            db.standings(), db.boardMembers(), db.members(), organisation, db.exports(), clock);
    return new LeaderboardHandlers(
        leaderboardService, vertx.createSharedWorkerExecutor("leaderboard-export", 2));
  }

  private LedgerHandlers ledgerStatus(Adapters db) {
    return new LedgerHandlers(
        new LedgerStatusService(
            ledger,
            db.ledgerOutbox(),
            db.checkpoints(),
            ledgerRelay,
            pointsProjector,
            pointsExpiry,
            clock));
  }

  /**
   * The points mall: the catalog, redemptions (relayed with the awards: the relay gives back what
   * refused ones reserved) and their projector, which marks them REDEEMED with a pickup code.
   */
  private RewardHandlers openMall(Adapters db, AuditLog auditLog) {
    MongoRewards rewards = new MongoRewards(store);
    MongoRedemptions redemptions = new MongoRedemptions(store);
    mallIndexes = Future.all(rewards.createIndexes(), redemptions.createIndexes()).mapEmpty();
    RewardService catalog =
        new RewardService(
            rewards, db.members(), db.pointsReadModel(), organisation, auditLog, clock);
    RedemptionService redemptionService =
        new RedemptionService(redemptions, rewards, catalog, auditLog, clock);
    ledgerRelay.onRedemptionsFailed(redemptionService::release);
    redemptionExpiry = new RedemptionExpiry(redemptionService, jobs(db), Duration.ofSeconds(5));
    redemptionsProjector =
        projector(
            ProjectorCheckpoints.REDEMPTIONS, new RedemptionProjection(redemptions, clock), db);
    return new RewardHandlers(
        catalog, redemptionService, vertx.createSharedWorkerExecutor("leaderboard-export", 2));
  }

  /**
   * Points expiry by CIVIC_EXPIRY_POLICY: the job that queues Expire commands for the relay after
   * each year's end and sends the "expiring soon" notices (it does nothing under NONE).
   */
  private void openExpiry(Adapters db, NotificationService notifications) {
    pointsExpiry =
        new PointsExpiry(
            config.expiry(),
            db.pointsReadModel(),
            new MongoExpiryRuns(store),
            notifications,
            jobs(db),
            Duration.ofSeconds(5));
  }

  /**
   * What members are told beyond their submissions: reminders of enrolled activities (a leased job)
   * and notices of their changes and cancellation.
   */
  private void openNotices(Adapters db, ActivityService activityService, Notifier notifier) {
    activityNotices =
        new ActivityNotices(
            db.activities(),
            db.attendances(),
            notifier,
            jobs(db),
            config.notices().reminderLead(),
            config.notices().reminderPeriod());
    activityService.tellChangesTo(activityNotices);
  }

  /** Residents without a smartphone: staff register them, record attendance and claim for them. */
  private AssistedResidentHandlers openAssistedResidents(
      Adapters db, AuditLog auditLog, ActivityService activities, SubmissionService submissions) {
    return new AssistedResidentHandlers(
        new AssistedResidentService(
            db.members(), organisation, activities, submissions, auditLog, clock));
  }

  /** Announcements by staff and admins, told to the residents of their scope. */
  private AnnouncementHandlers openAnnouncements(
      Adapters db, Notifier notifier, AuditLog auditLog) {
    MongoAnnouncements announcements = new MongoAnnouncements(store);
    announcementIndexes = announcements.createIndexes();
    return new AnnouncementHandlers(
        new AnnouncementService(
            announcements,
            db.activities(),
            new MongoRewards(store),
            db.members(),
            organisation,
            notifier,
            auditLog,
            clock));
  }

  /**
   * Finding activities: the waitlist, the members a listing starts from, and evidence uploads as
   * covers, readable by whoever sees their activity.
   */
  private void openFinding(Adapters db, ActivityService activities, EvidenceService evidence) {
    MongoWaitlist waitlist = new MongoWaitlist(store);
    findingIndexes = waitlist.createIndexes();
    activities.findWith(waitlist, db.members(), evidence);
    evidence.showCoversTo(
        (caller, activityId) ->
            activities
                .visible(caller, activityId)
                .map(true)
                .recover(
                    hidden ->
                        hidden instanceof DomainException
                            ? Future.succeededFuture(false)
                            : Future.failedFuture(hidden)));
  }

  /**
   * Photo evidence: records in MongoDB, bytes in GridFS or Cloud Storage, processed on their own
   * workers (decoding is CPU-bound), unattached uploads swept after a day.
   */
  private EvidenceService openEvidence() {
    MongoEvidences records = new MongoEvidences(store);
    EvidenceStore files = evidenceFiles();
    evidenceStore = files;
    evidenceIndexes = records.createIndexes();
    evidenceSweeper = new EvidenceSweeper(vertx, records, files, clock);
    return new EvidenceService(
        records, files, vertx.createSharedWorkerExecutor("evidence-photos", 2), clock);
  }

  /**
   * Personal-data rights: a copy of one's data (streamed, or prepared in the background under
   * DATA_DIR/data-exports), deleting one's account (its tokens refused from then on) and consents,
   * whose changes the next leaderboard read shows.
   */
  private DataRightsHandlers openDataRights(
      Adapters db, AccessTokens accessTokens, MemberService memberService, AuditLog auditLog) {
    MongoMemberData data = new MongoMemberData(store);
    MongoConsents consentRecords = new MongoConsents(store);
    MongoDataExports exports = new MongoDataExports(store);
    EvidenceStore photos = evidenceStore;
    dataRightsIndexes =
        Future.all(consentRecords.createIndexes(), exports.createIndexes()).mapEmpty();
    Runnable boardsChanged = () -> leaderboardService.forgetRecentReads();
    deletedMembers =
        new DeletedMembers(
            vertx, data, config.jwt().accessTokenTtl().plus(Duration.ofMinutes(1)), clock);
    accessTokens.refuseMembers(deletedMembers::contains);
    ConsentService consents =
        new ConsentService(db.members(), consentRecords, boardsChanged, clock);
    memberService.tellVisibilityChangesTo(consents::visibilityChanged);
    DataExportService copies =
        new DataExportService(
            exports,
            data,
            photos,
            vertx.createSharedWorkerExecutor("data-exports", 2),
            config.dataDir().resolve("data-exports"),
            instanceId,
            clock);
    return new DataRightsHandlers(
        copies,
        new AccountDeletion(
            db.members(),
            data,
            photos,
            identityVerifier,
            copies,
            deletedMembers,
            auditLog,
            boardsChanged,
            clock),
        consents);
  }

  /** CIVIC_EVIDENCE_STORE: GridFS beside the records, or the private Cloud Storage bucket. */
  private EvidenceStore evidenceFiles() {
    EvidenceConfig files = config.evidence();
    LOG.info(
        "Evidence photos are kept in {}", files.bucket().map(b -> "gs://" + b).orElse("GridFS"));
    return files.store() == EvidenceConfig.Store.GCS
        ? GcsEvidenceStore.open(vertx, files.bucket().orElseThrow(), files.storageOptions())
        : new GridFsEvidenceStore(store);
  }

  /** What this instance's leased jobs share. */
  private LeasedJob.Runner jobs(Adapters db) {
    return new LeasedJob.Runner(vertx, db.checkpoints(), instanceId, clock);
  }

  /**
   * Service certificates and star levels: a projector of their own keeps the chain's awards and
   * reversals (and announces levels reached); certificates are signed with the access-token key,
   * rendered as PDFs on their own workers and verified against the chain.
   */
  private CertificateHandlers openCertificates(Adapters db, Notifier notifier) {
    MongoServiceRecords records = new MongoServiceRecords(store);
    MongoCertificates issued = new MongoCertificates(store);
    serviceLevels = new ServiceLevels(records, notifier);
    certificateIndexes =
        Future.all(records.createIndexes(), issued.createIndexes())
            .compose(v -> serviceLevels.prepare(db.checkpoints()));
    serviceProjector = projector(ProjectorCheckpoints.SERVICE, serviceLevels, db);
    CertificatePdf pdf =
        new CertificatePdf(
            MessageCatalogue.standard(),
            id -> organisation.organisation().community(id).map(Community::name).orElse(id));
    return new CertificateHandlers(
        new CertificateService(
            issued,
            records,
            db.members(),
            ledger,
            () -> signingKeys,
            pdf,
            vertx.createSharedWorkerExecutor("certificate-pdf", 2),
            new CertificateService.Issuing(
                config.certificates().issuer(), config.certificates().publicUrl()),
            clock),
        MessageCatalogue.standard());
  }

  /**
   * Reconciliation of the read model with the chain: the nightly and on-demand runs (a leased job)
   * and the repair of a mismatching member from the chain's entries.
   */
  private ReconciliationHandlers openReconciliation(Adapters db, AuditLog auditLog) {
    MongoReconciliations runs = new MongoReconciliations(store);
    reconciliationIndexes = runs.createIndexes();
    StandingsProjection boards =
        new StandingsProjection(db.standings(), db.members(), organisation, clock);
    reconciliation =
        new LedgerReconciliation(jobs(db), ledger, runs, boards, Duration.ofSeconds(5));
    return new ReconciliationHandlers(
        new ReconciliationService(
            runs, reconciliation, ledger, db.pointsReadModel(), boards, auditLog, clock));
  }

  /** A projector of the chain's PointsMoved transactions into one read model. */
  private LedgerProjector projector(
      String checkpoint, LedgerProjector.Handler readModel, Adapters db) {
    return new LedgerProjector(
        vertx, ledger, db.checkpoints(), checkpoint, readModel, instanceId, clock);
  }

  /** The org tree, with the demo city imported first on dev servers. */
  private Future<Void> loadOrganisation(OrgUnitService orgUnits) {
    Future<Void> seeded =
        config.isDev() ? orgUnits.seed(DemoCity.csv(), DemoCity::idOf) : Future.succeededFuture();
    return seeded.compose(v -> organisation.reload()).mapEmpty();
  }

  private void startBackgroundWork() {
    organisationRefresh = organisation.refreshPeriodically(vertx);
    refreshTokenSweeper.start();
    ledgerRelay.start();
    pointsProjector.start();
    standingsProjector.start();
    redemptionsProjector.start();
    serviceProjector.start();
    redemptionExpiry.start();
    pointsExpiry.start();
    activityNotices.start();
    evidenceSweeper.start();
    reconciliation.start();
    deletedMembers.start();
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
    if (evidenceSweeper != null) {
      evidenceSweeper.stop();
    }
    if (deletedMembers != null) {
      deletedMembers.stop();
    }
    return drained
        .compose(v -> stopRelay())
        .compose(v -> stopProjector(pointsProjector))
        .compose(v -> stopProjector(standingsProjector))
        .compose(v -> stopProjector(redemptionsProjector))
        .compose(v -> stopProjector(serviceProjector))
        .compose(v -> redemptionExpiry == null ? Future.succeededFuture() : redemptionExpiry.stop())
        .compose(v -> pointsExpiry == null ? Future.succeededFuture() : pointsExpiry.stop())
        .compose(v -> activityNotices == null ? Future.succeededFuture() : activityNotices.stop())
        .compose(v -> reconciliation == null ? Future.succeededFuture() : reconciliation.stop())
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
