package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.gcs.GcsEvidenceStore;
import org.civicpoints.api.mongo.MongoEvidences;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.service.EvidenceSweeper;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Photo evidence kept in Cloud Storage (CIVIC_EVIDENCE_STORE=gcs), through the library's own
 * in-memory fake (LocalStorageHelper) and a service-account key generated here: the bytes go to
 * private objects, readers who pass the checks are redirected to a V4 signed URL of 5 minutes
 * (verified with the key's public half), everyone else gets 404 without one, and the sweep deletes
 * the objects of forgotten uploads.
 */
class GcsEvidenceApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000033";
  private static final String EAST = "c-east-1a";
  private static final String WEST = "c-west-2b";
  private static final String SIGNER = "civic-points-api@civic-test.iam.gserviceaccount.com";
  private static String bucket;
  private static KeyPair key;
  private static Storage storage;
  private static TestApi api;
  private static ApiClient client;
  private static MongoStore store;
  private static CatalogFixtures fixtures;
  private static SignedIn admin;
  private static SignedIn eastStaff;
  private static String activity;

  @BeforeAll
  static void start() throws GeneralSecurityException {
    // The fake keeps its objects in one static map: a bucket of this run's own.
    bucket = "civic-evidence-" + UUID.randomUUID().toString().substring(0, 8);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    key = generator.generateKeyPair();
    StorageOptions options =
        LocalStorageHelper.getOptions().toBuilder()
            .setCredentials(
                ServiceAccountCredentials.newBuilder()
                    .setClientEmail(SIGNER)
                    .setClientId("1")
                    .setPrivateKey(key.getPrivate())
                    .setPrivateKeyId("generated")
                    .build())
            .build();
    storage = options.getService();
    api = startWith(options);
    client = api.client;
    store = api.openStore();
    fixtures = new CatalogFixtures(client);
    admin = Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
    eastStaff = Sessions.withRoles(client, EAST, "STAFF");
    activity =
        fixtures.activity(
            eastStaff,
            fixtures.activityBody(
                EAST, "VOLUNTEER", fixtures.rule(admin, "VOLUNTEER", 10), "NONE"));
  }

  private static TestApi startWith(StorageOptions options) {
    MongoServer mongo = new MongoServer(new MemoryBackend());
    mongo.bind(new InetSocketAddress("127.0.0.1", 0));
    Path dataDir = TestApi.temporaryDirectory();
    Map<String, String> environment =
        TestApi.devEnvironment(
            "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(),
            "civic_points_test",
            dataDir);
    environment.put("FABRIC_DEVNET_PORT", "0");
    environment.put("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN);
    environment.put("CIVIC_EVIDENCE_STORE", "gcs");
    environment.put("CIVIC_EVIDENCE_BUCKET", bucket);
    return TestApi.startWith(
        ApiConfig.fromEnv(environment).withEvidenceStorage(options), mongo, dataDir);
  }

  @AfterAll
  static void stop() {
    store.close();
    api.close();
  }

  @Test
  void the_photo_and_its_thumbnail_are_private_objects_read_through_signed_urls() throws Exception {
    SignedIn resident = Sessions.inCommunity(client, EAST);
    String id = EvidenceApiTest.uploadedWith(client, resident, TestPhotos.jpegWithGps(2400, 1800));

    Blob photo = object(id, "photo");
    assertThat(photo).as("the photo's object").isNotNull();
    assertThat(photo.getContentType()).isEqualTo("image/jpeg");
    assertThat(TestPhotos.decode(photo.getContent()).getWidth()).isEqualTo(1600);
    assertThat(TestPhotos.contains(photo.getContent(), TestPhotos.LATITUDE_RATIONALS))
        .as("no GPS in the stored bytes")
        .isFalse();
    assertThat(TestPhotos.decode(object(id, "thumbnail").getContent()).getWidth()).isEqualTo(320);

    assertSignedRedirect(EvidenceApiTest.photoWith(client, resident, id), id + "/photo.jpg");
    assertSignedRedirect(thumbnail(resident, id), id + "/thumbnail.jpg");
  }

  @Test
  void who_may_not_read_a_photo_gets_404_and_no_url_and_who_may_gets_one() throws Exception {
    SignedIn owner = Sessions.inCommunity(client, EAST);
    String id = EvidenceApiTest.uploadedWith(client, owner, TestPhotos.png(64, 48));
    SignedIn stranger = Sessions.inCommunity(client, EAST);

    assertNotFoundWithoutUrl(EvidenceApiTest.photoWith(client, stranger, id));
    assertNotFoundWithoutUrl(thumbnail(stranger, id));
    assertNotFoundWithoutUrl(EvidenceApiTest.photoWith(client, eastStaff, id));
    assertNotFoundWithoutUrl(EvidenceApiTest.photoWith(client, owner, "ev_aaaaaaaaaaaaaaaaaaaa"));

    claim(owner, id);
    SignedIn westStaff = Sessions.withRoles(client, WEST, "STAFF");
    assertNotFoundWithoutUrl(EvidenceApiTest.photoWith(client, westStaff, id));
    assertSignedRedirect(EvidenceApiTest.photoWith(client, eastStaff, id), id + "/photo.jpg");
    assertSignedRedirect(EvidenceApiTest.photoWith(client, admin, id), id + "/photo.jpg");
  }

  @Test
  void an_upload_not_claimed_within_a_day_loses_its_objects_and_a_claimed_one_keeps_them()
      throws Exception {
    // A day and an hour later for the sweep only: the server's sessions stay valid.
    EvidenceSweeper sweeper =
        new EvidenceSweeper(
            api.vertx,
            new MongoEvidences(store),
            GcsEvidenceStore.open(api.vertx, bucket, Optional.of(storage.getOptions())),
            Clock.offset(Clock.systemUTC(), Duration.ofHours(25)));
    SignedIn resident = Sessions.inCommunity(client, EAST);
    String forgotten = EvidenceApiTest.uploadedWith(client, resident, TestPhotos.png(32, 32));
    String claimed = EvidenceApiTest.uploadedWith(client, resident, TestPhotos.png(32, 32));
    claim(resident, claimed);

    assertThat(sweeper.sweep().await()).isEqualTo(1);

    assertThat(object(forgotten, "photo")).as("photo object deleted").isNull();
    assertThat(object(forgotten, "thumbnail")).as("thumbnail object deleted").isNull();
    assertNotFoundWithoutUrl(EvidenceApiTest.photoWith(client, resident, forgotten));
    assertThat(object(claimed, "photo")).isNotNull();
    assertThat(object(claimed, "thumbnail")).isNotNull();
    assertSignedRedirect(
        EvidenceApiTest.photoWith(client, resident, claimed), claimed + "/photo.jpg");
  }

  private static void claim(SignedIn member, String evidenceId) {
    JsonObject body = CatalogFixtures.submission(activity, 1);
    body.put("evidence", new JsonObject().put("photos", new JsonArray().add(evidenceId)));
    assertThat(fixtures.submit(member, UUID.randomUUID().toString(), body).status()).isEqualTo(201);
  }

  private static Reply thumbnail(SignedIn reader, String evidenceId) {
    return client.get(
        "getEvidenceThumbnail", "/v1/evidence/" + evidenceId + "/thumbnail", reader.accessToken());
  }

  private static Blob object(String evidenceId, String variant) {
    return storage.get(BlobId.of(bucket, "evidence/" + evidenceId + "/" + variant + ".jpg"));
  }

  private static void assertNotFoundWithoutUrl(Reply reply) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(404);
    assertThat(reply.code()).isEqualTo("NOT_FOUND");
    assertThat(reply.header("Location")).isNull();
  }

  /**
   * A 302 nobody caches, to a V4 URL for GET of that one object, valid at most 5 minutes, whose
   * signature the generated key's public half verifies (so the URL was signed, not just shaped).
   */
  private static void assertSignedRedirect(Reply reply, String object) throws Exception {
    assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(302);
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    URI url = URI.create(reply.header("Location"));
    assertThat(url.getScheme()).isEqualTo("https");
    assertThat(url.getHost()).isEqualTo("storage.googleapis.com");
    assertThat(url.getRawPath()).isEqualTo("/" + bucket + "/evidence/" + object);
    Map<String, String> query = query(url);
    assertThat(query.get("X-Goog-Algorithm")).isEqualTo("GOOG4-RSA-SHA256");
    assertThat(decoded(query.get("X-Goog-Credential")))
        .startsWith(SIGNER + "/")
        .endsWith("/auto/storage/goog4_request");
    assertThat(Integer.parseInt(query.get("X-Goog-Expires"))).isPositive().isLessThanOrEqualTo(300);
    assertThat(query.get("X-Goog-SignedHeaders")).isEqualTo("host");
    assertThat(query.get("X-Goog-Signature")).matches("[0-9a-f]{512}");
    assertThat(signatureVerifies(url, query)).as("the signature verifies").isTrue();
  }

  /** Cloud Storage's V4 scheme: the canonical request, hashed into the string that was signed. */
  private static boolean signatureVerifies(URI url, Map<String, String> query) throws Exception {
    String canonicalQuery =
        Arrays.stream(url.getRawQuery().split("&"))
            .filter(pair -> !pair.startsWith("X-Goog-Signature="))
            .sorted()
            .collect(Collectors.joining("&"));
    String canonicalRequest =
        String.join(
            "\n",
            "GET",
            url.getRawPath(),
            canonicalQuery,
            "host:" + url.getHost(),
            "",
            "host",
            "UNSIGNED-PAYLOAD");
    String credential = decoded(query.get("X-Goog-Credential"));
    String stringToSign =
        String.join(
            "\n",
            "GOOG4-RSA-SHA256",
            query.get("X-Goog-Date"),
            credential.substring(credential.indexOf('/') + 1),
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(key.getPublic());
    rsa.update(stringToSign.getBytes(StandardCharsets.UTF_8));
    return rsa.verify(HexFormat.of().parseHex(query.get("X-Goog-Signature")));
  }

  private static Map<String, String> query(URI url) {
    return Arrays.stream(url.getRawQuery().split("&"))
        .map(pair -> pair.split("=", 2))
        .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
  }

  private static String decoded(String value) {
    return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
