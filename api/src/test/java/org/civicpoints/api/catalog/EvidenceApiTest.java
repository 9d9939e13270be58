package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Photo evidence through HTTP: what is kept of an upload (no metadata, bounded size), what is
 * refused and why, who may read a photo, and photos named in claims.
 */
class EvidenceApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000031";
  private static final String EAST = "c-east-1a";
  private static final String WEST = "c-west-2b";
  private static TestApi api;
  private static ApiClient client;
  private static CatalogFixtures fixtures;
  private static SignedIn admin;
  private static SignedIn eastStaff;
  private static SignedIn westStaff;
  private static String eastActivity;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN));
    client = api.client;
    fixtures = new CatalogFixtures(client);
    admin = Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
    String ruleId = fixtures.rule(admin, "VOLUNTEER", 10);
    eastStaff = Sessions.withRoles(client, EAST, "STAFF");
    westStaff = Sessions.withRoles(client, WEST, "STAFF");
    eastActivity =
        fixtures.activity(
            eastStaff,
            fixtures.activityBody(EAST, "VOLUNTEER", ruleId, "NONE").put("claimsPerDay", 10));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static Reply upload(SignedIn member, byte[] bytes, String contentType) {
    return uploadWith(client, member, bytes, contentType);
  }

  /** {@code member} null: without a session. */
  static Reply uploadWith(ApiClient client, SignedIn member, byte[] bytes, String contentType) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", contentType);
    if (member != null) {
      headers.put("Authorization", "Bearer " + member.accessToken());
    }
    return client.sendRaw(
        "uploadEvidence", HttpMethod.POST, "/v1/evidence", Buffer.buffer(bytes), headers);
  }

  static String uploaded(SignedIn member, byte[] bytes) {
    return uploadedWith(client, member, bytes);
  }

  static String uploadedWith(ApiClient client, SignedIn member, byte[] bytes) {
    Reply reply = uploadWith(client, member, bytes, "image/jpeg");
    assertThat(reply.status()).as("upload: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("evidenceId");
  }

  static Reply photo(SignedIn reader, String evidenceId) {
    return photoWith(client, reader, evidenceId);
  }

  static Reply photoWith(ApiClient client, SignedIn reader, String evidenceId) {
    return client.get("getEvidence", "/v1/evidence/" + evidenceId, token(reader));
  }

  static Reply thumbnail(SignedIn reader, String evidenceId) {
    return client.get(
        "getEvidenceThumbnail", "/v1/evidence/" + evidenceId + "/thumbnail", token(reader));
  }

  private static String token(SignedIn who) {
    return who == null ? null : who.accessToken();
  }

  private static void assertProblem(Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
    assertThat(reply.code()).isEqualTo(code);
  }

  private static Reply claim(SignedIn member, List<String> photos) {
    JsonObject body = CatalogFixtures.submission(eastActivity, 1);
    body.put("evidence", new JsonObject().put("photos", new JsonArray(photos)));
    return fixtures.submit(member, UUID.randomUUID().toString(), body);
  }

  @Nested
  class WhatIsKept {

    @Test
    void exif_and_gps_are_gone_and_the_long_side_is_at_most_1600() {
      SignedIn resident = Sessions.inCommunity(client, EAST);
      byte[] sent = TestPhotos.jpegWithGps(2400, 1800);
      assertThat(TestPhotos.jpegMarkers(sent)).as("the upload carries APP1").contains(0xE1);
      assertThat(TestPhotos.contains(sent, TestPhotos.LATITUDE_RATIONALS)).isTrue();
      assertThat(TestPhotos.decode(sent).getWidth())
          .as("the upload is a valid JPEG")
          .isEqualTo(2400);

      String id = uploaded(resident, sent);

      Reply reply = photo(resident, id);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Content-Type")).isEqualTo("image/jpeg");
      assertThat(reply.header("Cache-Control")).startsWith("private");
      byte[] kept = reply.body().getBytes();
      assertThat(TestPhotos.jpegMarkers(kept))
          .as("no APPn segment but the JFIF header, no comment")
          .noneMatch(marker -> marker >= 0xE1 && marker <= 0xEF || marker == 0xFE);
      assertThat(TestPhotos.contains(kept, "Exif".getBytes(StandardCharsets.US_ASCII))).isFalse();
      assertThat(TestPhotos.contains(kept, TestPhotos.LATITUDE_RATIONALS)).isFalse();
      BufferedImage image = TestPhotos.decode(kept);
      assertThat(image.getWidth()).isEqualTo(1600);
      assertThat(image.getHeight()).isEqualTo(1200);

      Reply small = thumbnail(resident, id);
      assertThat(small.status()).isEqualTo(200);
      BufferedImage thumb = TestPhotos.decode(small.body().getBytes());
      assertThat(thumb.getWidth()).isEqualTo(320);
      assertThat(thumb.getHeight()).isEqualTo(240);
      assertThat(TestPhotos.jpegMarkers(small.body().getBytes()))
          .noneMatch(marker -> marker >= 0xE1 && marker <= 0xEF);
    }

    @Test
    void a_photo_taken_upright_is_kept_upright_though_its_exif_orientation_is_gone() {
      SignedIn resident = Sessions.inCommunity(client, EAST);
      byte[] sent = TestPhotos.jpegWithOrientation(800, 600, 6);

      String id = uploaded(resident, sent);

      byte[] kept = photo(resident, id).body().getBytes();
      assertThat(TestPhotos.jpegMarkers(kept)).doesNotContain(0xE1);
      BufferedImage image = TestPhotos.decode(kept);
      assertThat(image.getWidth()).as("turned to portrait").isEqualTo(600);
      assertThat(image.getHeight()).isEqualTo(800);
      assertThat(new Color(image.getRGB(560, 40)))
          .as("the sensor's top-left corner is now top-right")
          .matches(pixel -> pixel.getRed() > 200 && pixel.getBlue() < 80, "red");
      assertThat(new Color(image.getRGB(40, 40)))
          .matches(pixel -> pixel.getBlue() > 200 && pixel.getRed() < 80, "blue");
      BufferedImage thumb = TestPhotos.decode(thumbnail(resident, id).body().getBytes());
      assertThat(thumb.getWidth()).isEqualTo(240);
      assertThat(thumb.getHeight()).isEqualTo(320);
    }

    @Test
    void png_and_webp_become_jpeg_and_small_photos_keep_their_size() {
      SignedIn resident = Sessions.inCommunity(client, EAST);
      String png = uploaded(resident, TestPhotos.png(900, 1200));
      String webp = uploaded(resident, TestPhotos.webp());

      BufferedImage fromPng = TestPhotos.decode(photo(resident, png).body().getBytes());
      assertThat(fromPng.getWidth()).isEqualTo(900);
      assertThat(fromPng.getHeight()).isEqualTo(1200);
      byte[] fromWebp = photo(resident, webp).body().getBytes();
      assertThat(TestPhotos.jpegMarkers(fromWebp)).startsWith(0xE0);
      assertThat(TestPhotos.decode(fromWebp).getWidth()).isEqualTo(640);
      assertThat(TestPhotos.decode(thumbnail(resident, png).body().getBytes()).getHeight())
          .isEqualTo(320);
    }

    @Test
    void a_photo_of_several_mebibytes_is_taken_over_the_one_mebibyte_limit_of_other_bodies() {
      byte[] large = TestPhotos.noisyPng(1200, 1000);
      assertThat(large.length).isGreaterThan(2 * 1024 * 1024);
      Reply reply = upload(Sessions.inCommunity(client, EAST), large, "image/png");
      assertThat(reply.status()).as(reply.body().toString()).isEqualTo(201);
    }
  }

  @Nested
  class WhatIsRefused {

    private final SignedIn resident = Sessions.inCommunity(client, EAST);

    @Test
    void a_file_disguised_by_its_header_is_unsupported() {
      byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
      Reply reply = upload(resident, html, "image/jpeg");
      assertProblem(reply, 415, "IMAGE_TYPE_UNSUPPORTED");
      byte[] gif = "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
      assertProblem(upload(resident, gif, "image/png"), 415, "IMAGE_TYPE_UNSUPPORTED");
    }

    @Test
    void the_header_is_not_trusted_either_way_a_png_sent_as_jpeg_is_read_as_png() {
      assertThat(upload(resident, TestPhotos.png(64, 48), "image/jpeg").status()).isEqualTo(201);
    }

    @Test
    void another_content_type_is_refused_before_the_bytes_are_read() {
      Reply reply = upload(resident, TestPhotos.png(64, 48), "application/octet-stream");
      assertProblem(reply, 415, "UNSUPPORTED_MEDIA_TYPE");
      assertThat(reply.json().getString("detail")).contains("image/jpeg", "image/webp");
      assertProblem(
          upload(resident, "{}".getBytes(), "application/json"), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void a_damaged_image_is_unreadable() {
      byte[] jpeg = TestPhotos.jpeg(400, 300);
      byte[] truncated = java.util.Arrays.copyOf(jpeg, 200);
      assertProblem(upload(resident, truncated, "image/jpeg"), 422, "IMAGE_UNREADABLE");
    }

    @Test
    void a_decompression_bomb_is_refused_from_its_declared_size_before_decoding() {
      Reply reply = upload(resident, TestPhotos.pngDeclaring(30_000, 30_000), "image/png");
      assertProblem(reply, 422, "IMAGE_UNREADABLE");
      assertThat(reply.json().getString("detail")).contains("30000");
    }

    @Test
    void a_body_over_eight_mebibytes_is_too_large() {
      byte[] huge = new byte[8 * 1024 * 1024 + 1];
      huge[0] = (byte) 0xFF;
      huge[1] = (byte) 0xD8;
      Reply reply = upload(resident, huge, "image/jpeg");
      assertProblem(reply, 413, "PAYLOAD_TOO_LARGE");
      assertThat(reply.json().getString("detail")).contains("8388608");
    }

    @Test
    void an_empty_body_or_no_session_is_refused() {
      assertProblem(upload(resident, new byte[0], "image/jpeg"), 400, "VALIDATION_FAILED");
      assertProblem(upload(null, TestPhotos.png(8, 8), "image/png"), 401, "UNAUTHENTICATED");
    }

    @Test
    void a_member_uploads_at_most_twenty_photos_a_day() {
      SignedIn busy = Sessions.inCommunity(client, EAST);
      byte[] tiny = TestPhotos.png(8, 8);
      for (int i = 0; i < 20; i++) {
        assertThat(upload(busy, tiny, "image/png").status()).isEqualTo(201);
      }
      Reply refused = upload(busy, tiny, "image/png");
      assertProblem(refused, 409, "EVIDENCE_QUOTA_REACHED");
      assertThat(refused.json().getString("detail")).contains("20");
      assertThat(upload(Sessions.inCommunity(client, EAST), tiny, "image/png").status())
          .as("the quota is each member's own")
          .isEqualTo(201);
    }
  }

  @Nested
  class WhoReads {

    @Test
    void an_unattached_photo_is_its_uploaders_and_the_admins() {
      SignedIn owner = Sessions.inCommunity(client, EAST);
      String id = uploaded(owner, TestPhotos.png(64, 64));

      assertProblem(photo(Sessions.inCommunity(client, EAST), id), 404, "NOT_FOUND");
      assertProblem(thumbnail(Sessions.inCommunity(client, EAST), id), 404, "NOT_FOUND");
      assertProblem(photo(eastStaff, id), 404, "NOT_FOUND");
      assertThat(photo(admin, id).status()).isEqualTo(200);
      assertProblem(photo(null, id), 401, "UNAUTHENTICATED");
      assertProblem(photo(owner, "ev_aaaaaaaaaaaaaaaaaaaa"), 404, "NOT_FOUND");
      assertProblem(photo(owner, "not-an-id"), 400, "VALIDATION_FAILED");
    }

    @Test
    void once_attached_staff_of_the_submissions_community_read_it_and_no_one_else() {
      SignedIn owner = Sessions.inCommunity(client, EAST);
      String id = uploaded(owner, TestPhotos.png(64, 64));
      assertThat(claim(owner, List.of(id)).status()).isEqualTo(201);

      assertThat(photo(eastStaff, id).status()).isEqualTo(200);
      assertThat(thumbnail(eastStaff, id).status()).isEqualTo(200);
      assertThat(photo(owner, id).status()).isEqualTo(200);
      assertProblem(photo(westStaff, id), 404, "NOT_FOUND");
      assertProblem(thumbnail(westStaff, id), 404, "NOT_FOUND");
      assertProblem(photo(Sessions.inCommunity(client, EAST), id), 404, "NOT_FOUND");
    }
  }

  @Nested
  class InClaims {

    @Test
    void a_claim_names_up_to_five_photos_and_shows_them() {
      SignedIn owner = Sessions.inCommunity(client, EAST);
      List<String> photos = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        photos.add(uploaded(owner, TestPhotos.png(16, 16)));
      }
      Reply created = claim(owner, photos);
      assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
      JsonObject submission =
          client
              .get(
                  "getSubmission",
                  "/v1/submissions/" + created.json().getString("submissionId"),
                  eastStaff.accessToken())
              .json();
      assertThat(submission.getJsonObject("evidence").getJsonArray("photos").getList())
          .containsExactlyElementsOf(photos);
    }

    @Test
    void six_photos_are_refused_naming_the_field() {
      SignedIn owner = Sessions.inCommunity(client, EAST);
      List<String> photos = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        photos.add(uploaded(owner, TestPhotos.png(16, 16)));
      }
      Reply reply = claim(owner, photos);
      assertProblem(reply, 400, "VALIDATION_FAILED");
      assertThat(reply.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .contains("evidence")
          .contains("photos");
      assertThat(claim(owner, photos.subList(0, 5)).status())
          .as("nothing was attached by the refused claim")
          .isEqualTo(201);
    }

    @Test
    void another_members_photo_or_an_unknown_one_is_not_found_and_nothing_is_attached() {
      SignedIn owner = Sessions.inCommunity(client, EAST);
      SignedIn other = Sessions.inCommunity(client, EAST);
      String mine = uploaded(owner, TestPhotos.png(16, 16));
      String theirs = uploaded(other, TestPhotos.png(16, 16));

      Reply stolen = claim(owner, List.of(mine, theirs));
      assertProblem(stolen, 404, "NOT_FOUND");
      assertThat(stolen.json().getString("detail")).contains(theirs);
      assertProblem(claim(owner, List.of("ev_aaaaaaaaaaaaaaaaaaaa")), 404, "NOT_FOUND");
      assertProblem(photo(owner, theirs), 404, "NOT_FOUND");

      assertThat(claim(owner, List.of(mine)).status())
          .as("the refused claims attached nothing")
          .isEqualTo(201);
      assertThat(claim(other, List.of(theirs)).status()).isEqualTo(201);
    }

    @Test
    void one_photo_supports_one_claim_only() {
      SignedIn owner = Sessions.inCommunity(client, EAST);
      String id = uploaded(owner, TestPhotos.png(16, 16));
      assertThat(claim(owner, List.of(id)).status()).isEqualTo(201);
      Reply again = claim(owner, List.of(id));
      assertProblem(again, 409, "INVALID_STATE");
      assertThat(again.json().getString("detail")).contains(id);
    }

    @Test
    void a_replay_with_the_same_key_answers_the_first_claim_and_keeps_its_photos() {
      SignedIn owner = Sessions.inCommunity(client, EAST);
      String id = uploaded(owner, TestPhotos.png(16, 16));
      JsonObject body = CatalogFixtures.submission(eastActivity, 1);
      body.put("evidence", new JsonObject().put("photos", new JsonArray().add(id)));
      String key = UUID.randomUUID().toString();
      Reply first = fixtures.submit(owner, key, body);
      Reply replay = fixtures.submit(owner, key, body);
      assertThat(first.status()).isEqualTo(201);
      assertThat(replay.status()).isEqualTo(201);
      assertThat(replay.json()).isEqualTo(first.json());
      assertThat(photo(eastStaff, id).status()).isEqualTo(200);
    }

    @Test
    void urls_stay_allowed() {
      SignedIn owner = Sessions.inCommunity(client, EAST);
      JsonObject body = CatalogFixtures.submission(eastActivity, 1);
      body.put(
          "evidence",
          new JsonObject().put("photoUrls", new JsonArray().add("https://example.org/a.jpg")));
      assertThat(fixtures.submit(owner, UUID.randomUUID().toString(), body).status())
          .isEqualTo(201);
    }
  }
}
