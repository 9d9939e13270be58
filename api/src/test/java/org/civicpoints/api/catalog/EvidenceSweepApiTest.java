package org.civicpoints.api.catalog;

import static com.mongodb.client.model.Filters.regex;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.civicpoints.api.mongo.GridFsEvidenceStore;
import org.civicpoints.api.mongo.MongoEvidences;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.service.EvidenceSweeper;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.MovableClock;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Photos not named in a claim within 24 hours are deleted, bytes included; photos of claims stay.
 * The sweep runs on the server's clock (moved here) through the production adapters.
 */
class EvidenceSweepApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000032";
  private static final String EAST = "c-east-1a";
  private static final MovableClock clock = new MovableClock();
  private static TestApi api;
  private static ApiClient client;
  private static MongoProbe mongo;
  private static MongoStore store;
  private static EvidenceSweeper sweeper;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN), clock);
    client = api.client;
    mongo = api.mongoProbe();
    store = api.openStore();
    sweeper =
        new EvidenceSweeper(
            api.vertx, new MongoEvidences(store), new GridFsEvidenceStore(store), clock);
  }

  @AfterAll
  static void stop() {
    mongo.close();
    store.close();
    api.close();
  }

  @Test
  void an_upload_not_attached_within_a_day_is_swept_and_an_attached_one_stays() {
    CatalogFixtures fixtures = new CatalogFixtures(client);
    SignedIn admin = Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
    SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
    String activity =
        fixtures.activity(
            staff,
            fixtures.activityBody(
                EAST, "VOLUNTEER", fixtures.rule(admin, "VOLUNTEER", 10), "NONE"));
    SignedIn resident = Sessions.inCommunity(client, EAST);
    String forgotten = EvidenceApiTest.uploadedWith(client, resident, TestPhotos.png(32, 32));
    String claimed = EvidenceApiTest.uploadedWith(client, resident, TestPhotos.png(32, 32));
    JsonObject body = CatalogFixtures.submission(activity, 1);
    body.put("evidence", new JsonObject().put("photos", new JsonArray().add(claimed)));
    assertThat(fixtures.submit(resident, UUID.randomUUID().toString(), body).status())
        .isEqualTo(201);
    assertThat(gridFsFiles(forgotten)).isEqualTo(2);

    clock.advance(Duration.ofHours(23));
    assertThat(sweeper.sweep().await()).as("not a day old yet").isZero();

    clock.advance(Duration.ofHours(2));
    assertThat(sweeper.sweep().await()).isEqualTo(1);
    assertThat(sweeper.sweep().await()).as("a second sweep finds nothing more").isZero();

    SignedIn residentNow = Sessions.signIn(client, new JsonObject().put("phone", resident.phone()));
    assertThat(EvidenceApiTest.photoWith(client, residentNow, forgotten).status()).isEqualTo(404);
    assertThat(gridFsFiles(forgotten)).as("photo and thumbnail bytes deleted").isZero();
    assertThat(mongo.count("evidence_files.chunks", regex("files_id", "^" + forgotten))).isZero();
    assertThat(EvidenceApiTest.photoWith(client, residentNow, claimed).status()).isEqualTo(200);
    assertThat(gridFsFiles(claimed)).isEqualTo(2);
  }

  private static long gridFsFiles(String evidenceId) {
    return mongo.count("evidence_files.files", regex("_id", "^" + evidenceId + "/"));
  }
}
