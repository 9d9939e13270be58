package org.civicpoints.api.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.SignatureException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.bson.Document;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service certificates and star levels through HTTP, on awards the relay records on the devnet
 * through the real gateway client: what a certificate lists, its signature checked offline with the
 * published key, its PDF read back, and its verification once revoked or once an entry is reversed.
 */
class CertificateApiTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final LocalDate DAY = LocalDate.now().minusDays(20);
  private static LedgerRig rig;
  private static String volunteering;
  private static String study;

  @BeforeAll
  static void start() {
    rig = LedgerRig.start();
    volunteering = rig.seedRule("VOLUNTEER", 5, 1_000_000, 10_000_000, true);
    study = rig.seedRule("STUDY", 2, 1_000_000, 10_000_000, true);
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void a_certificate_lists_the_recorded_hours_of_the_period_and_its_jws_verifies_offline() {
    SignedIn member = named("张伟");
    List<String> inPeriod = recorded(member, volunteering, "VOLUNTEER", 3, DAY, 2);
    recorded(member, volunteering, "VOLUNTEER", 4, DAY.minusYears(1), 1);
    recorded(member, study, "STUDY", 2, DAY, 1);

    Reply issued = issue(member, DAY.minusDays(1), DAY.plusDays(1), "VOLUNTEER");

    assertThat(issued.status()).as(issued.body().toString()).isEqualTo(201);
    JsonObject certificate = issued.json();
    assertThat(certificate.getLong("hours")).isEqualTo(6);
    assertThat(certificate.getLong("points")).isEqualTo(30);
    assertThat(certificate.getString("memberName")).isEqualTo("张伟");
    JsonArray entries = certificate.getJsonArray("entries");
    assertThat(entries).hasSize(2);
    for (Object listed : entries) {
      JsonObject entry = (JsonObject) listed;
      assertThat(inPeriod).contains(entry.getString("entryId"));
      Document ledger = rig.submission(entry.getString("entryId")).get("ledger", Document.class);
      assertThat(entry.getString("txId")).isEqualTo(ledger.getString("txId"));
      assertThat(entry.getLong("blockNumber"))
          .isEqualTo(ledger.get("blockNumber", Number.class).longValue());
      assertThat(entry.getString("activityTitle")).isEqualTo(LedgerRig.ACTIVITY_TITLE);
      assertThat(entry.getString("communityId")).isEqualTo(LedgerRig.COMMUNITY);
      assertThat(entry.getLong("hours")).isEqualTo(3);
    }

    String jws = certificate.getString("jws");
    byte[] payload = verifiedPayload(jws);
    JsonObject signed = new JsonObject(new String(payload, StandardCharsets.UTF_8));
    JsonObject content = certificate.copy();
    content.remove("jws");
    content.remove("revoked");
    assertThat(signed).isEqualTo(content);

    Reply mine = rig.client.get("listMyCertificates", "/v1/me/certificates", member.accessToken());
    assertThat(mine.json().getJsonArray("items")).hasSize(1);
    assertThat(mine.json().getJsonArray("items").getJsonObject(0).getString("certificateId"))
        .isEqualTo(certificate.getString("certificateId"));

    Reply verification = verification(certificate.getString("certificateId"));
    assertThat(verification.json().getString("status")).isEqualTo("VALID");
    assertThat(verification.json().getString("maskedName")).isEqualTo("张*");
    assertThat(verification.json().getLong("hours")).isEqualTo(6);
    assertThat(verification.json().containsKey("memberId")).isFalse();
  }

  @Test
  void a_tampered_certificate_fails_verification_with_the_published_key() {
    SignedIn member = named("李娜");
    recorded(member, volunteering, "VOLUNTEER", 2, DAY, 1);
    String jws = issue(member, DAY, DAY, "VOLUNTEER").json().getString("jws");
    String[] parts = jws.split("\\.");
    JsonObject claimed =
        new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    String inflated =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(claimed.put("hours", 2000).encode().getBytes(StandardCharsets.UTF_8));

    assertThat(verifiedPayload(jws)).isNotEmpty();
    assertThatThrownBy(() -> verifiedPayload(parts[0] + "." + inflated + "." + parts[2]))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void the_pdf_is_a4_with_the_chinese_text_an_embedded_subset_font_and_the_verification_url()
      throws Exception {
    SignedIn member = named("王小明");
    recorded(member, volunteering, "VOLUNTEER", 3, DAY, 3);
    JsonObject certificate = issue(member, DAY, DAY, "VOLUNTEER").json();
    String id = certificate.getString("certificateId");

    Reply pdf = rig.client.get("getCertificatePdf", pdfPath(id), member.accessToken());

    assertThat(pdf.status()).isEqualTo(200);
    assertThat(pdf.header("Content-Type")).isEqualTo("application/pdf");
    try (PDDocument document = Loader.loadPDF(pdf.body().getBytes())) {
      PDPage page = document.getPage(0);
      assertThat(page.getMediaBox().getWidth()).isEqualTo(PDRectangle.A4.getWidth());
      assertThat(page.getMediaBox().getHeight()).isEqualTo(PDRectangle.A4.getHeight());
      // Lines may break anywhere in Chinese text: compare without the spaces and line breaks.
      String text = new PDFTextStripper().getText(document).replaceAll("\\s", "");
      assertThat(text)
          .contains("志愿服务证明", "王小明", "9小时", "45分", "社区志愿服务积分平台")
          .contains(certificate.getString("verificationUrl"))
          .contains(certificate.getJsonArray("entries").getJsonObject(0).getString("txId"));
      PDFont font =
          page.getResources().getFont(page.getResources().getFontNames().iterator().next());
      assertThat(font.isEmbedded()).isTrue();
      assertThat(font.getName()).as("a subset font is named XXXXXX+Name").matches("[A-Z]{6}\\+.*");
      assertThat(pdf.body().length()).as("a subset, not the 16 MB font").isLessThan(400_000);
      BufferedImage rendered = new PDFRenderer(document).renderImageWithDPI(0, 110);
      Path png = Path.of("target", "certificates", "certificate-page-1.png");
      Files.createDirectories(png.getParent());
      ImageIO.write(rendered, "png", png.toFile());
      assertThat(document.getDocumentInformation().getCOSObject().getString(COSName.AUTHOR))
          .isEqualTo("社区志愿服务积分平台");
    }

    Reply page = rig.client.get("getCertificateVerificationPage", "/verify/" + id, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body().toString()).contains("有效", "王**", "9 小时", "Valid");
  }

  @Test
  void someone_elses_certificate_is_not_found_but_an_admin_reads_it() {
    SignedIn member = named("赵六");
    recorded(member, volunteering, "VOLUNTEER", 1, DAY, 1);
    String id = issue(member, DAY, DAY, "VOLUNTEER").json().getString("certificateId");
    SignedIn other = Sessions.resident(rig.client);
    SignedIn admin = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "ADMIN");

    Reply read = rig.client.get("getCertificatePdf", pdfPath(id), other.accessToken());
    Reply revoke = rig.client.post("revokeCertificate", revokePath(id), null, other.accessToken());

    assertThat(read.status()).isEqualTo(404);
    assertThat(read.code()).isEqualTo("NOT_FOUND");
    assertThat(revoke.status()).isEqualTo(404);
    assertThat(
            rig.client
                .get("listMyCertificates", "/v1/me/certificates", other.accessToken())
                .json()
                .getJsonArray("items"))
        .isEmpty();
    assertThat(verification(id).json().getString("status")).isEqualTo("VALID");
    assertThat(rig.client.get("getCertificatePdf", pdfPath(id), admin.accessToken()).status())
        .isEqualTo(200);
    assertThat(rig.client.get("getCertificatePdf", pdfPath(id), null).status()).isEqualTo(401);
  }

  @Test
  void a_revoked_certificate_verifies_as_revoked_and_revoking_again_changes_nothing() {
    SignedIn member = named("孙七");
    recorded(member, volunteering, "VOLUNTEER", 1, DAY, 1);
    String id = issue(member, DAY, DAY, "VOLUNTEER").json().getString("certificateId");

    Reply revoked =
        rig.client.post("revokeCertificate", revokePath(id), null, member.accessToken());
    Reply again = rig.client.post("revokeCertificate", revokePath(id), null, member.accessToken());

    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().getBoolean("revoked")).isTrue();
    assertThat(again.json().getString("revokedAt"))
        .isEqualTo(revoked.json().getString("revokedAt"));
    Reply verification = verification(id);
    assertThat(verification.json().getString("status")).isEqualTo("REVOKED");
    assertThat(verification.json().getString("revokedAt"))
        .isEqualTo(revoked.json().getString("revokedAt"));
    assertThat(
            rig.client
                .get("getCertificateVerificationPage", "/verify/" + id, null)
                .body()
                .toString())
        .contains("已撤销");
  }

  @Test
  void a_deleted_accounts_certificates_go_with_it() {
    SignedIn member = named("郑十");
    recorded(member, volunteering, "VOLUNTEER", 1, DAY, 1);
    String id = issue(member, DAY, DAY, "VOLUNTEER").json().getString("certificateId");
    assertThat(verification(id).json().getString("status")).isEqualTo("VALID");

    assertThat(rig.client.delete("deleteMe", "/v1/me", member.accessToken()).status())
        .isEqualTo(204);

    assertThat(verification(id).status()).isEqualTo(404);
    assertThat(rig.mongo.find("service_certificates", Filters.eq("memberId", member.memberId())))
        .as("nothing that names the member is kept")
        .isEmpty();
  }

  @Test
  void a_listed_entry_reversed_after_issue_makes_the_certificate_mismatch_naming_it() {
    SignedIn member = named("周八");
    List<String> ids = recorded(member, volunteering, "VOLUNTEER", 2, DAY, 2);
    String id = issue(member, DAY, DAY, "VOLUNTEER").json().getString("certificateId");
    assertThat(verification(id).json().getString("status")).isEqualTo("VALID");

    rig.requestReversal(ids.get(1), "claimed twice");
    awaitServiceRecord("rv_" + ids.get(1));

    JsonObject verification = verification(id).json();
    assertThat(verification.getString("status")).isEqualTo("MISMATCH");
    assertThat(verification.getJsonObject("mismatch"))
        .isEqualTo(new JsonObject().put("entryId", ids.get(1)).put("reason", "REVERSED"));
    JsonObject reissued = issue(member, DAY, DAY, "VOLUNTEER").json();
    assertThat(reissued.getLong("hours")).as("awards minus reversals").isEqualTo(2);
    assertThat(reissued.getJsonArray("entries")).hasSize(1);
  }

  @Test
  void bad_requests_are_problems_naming_the_field() {
    SignedIn member = named("吴九");
    String token = member.accessToken();
    Map<String, JsonObject> bad =
        Map.of(
            "to before from",
            body("2026-05-02", "2026-05-01", "VOLUNTEER"),
            "over five years",
            body("2020-01-01", "2025-01-02", "VOLUNTEER"),
            "unknown category",
            body("2026-05-01", "2026-05-02", "GARDENING"),
            "unknown field",
            body("2026-05-01", "2026-05-02", "VOLUNTEER").put("hours", 1000),
            "no category",
            new JsonObject()
                .put("from", "2026-05-01")
                .put("to", "2026-05-02")
                .put("categories", new JsonArray()),
            "a number for a day",
            body("2026-05-01", "2026-05-02", "VOLUNTEER").put("from", 20260501),
            "not a day",
            body("2026-02-30", "2026-05-02", "VOLUNTEER"),
            "a category twice",
            body("2026-05-01", "2026-05-02", "VOLUNTEER")
                .put("categories", new JsonArray().add("VOLUNTEER").add("VOLUNTEER")));
    bad.forEach(
        (what, request) -> {
          Reply reply =
              rig.client.post("issueMyCertificate", "/v1/me/certificates", request, token);
          assertThat(reply.status()).as(what + ": " + reply.body()).isEqualTo(400);
          assertThat(reply.code()).as(what).isEqualTo("VALIDATION_FAILED");
        });
    Reply tooLong =
        rig.client.post(
            "issueMyCertificate",
            "/v1/me/certificates",
            body("2020-01-01", "2025-01-02", "VOLUNTEER"),
            token);
    assertThat(tooLong.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("body.to");

    Reply nothing =
        issue(member, LocalDate.parse("2020-01-01"), LocalDate.parse("2020-12-31"), "STUDY");
    assertThat(nothing.status()).isEqualTo(422);
    assertThat(nothing.code()).isEqualTo("NOTHING_TO_CERTIFY");
    assertThat(
            rig.client
                .post(
                    "issueMyCertificate",
                    "/v1/me/certificates",
                    body("2026-05-01", "2026-05-02", "VOLUNTEER"),
                    null)
                .status())
        .isEqualTo(401);
    assertThat(verification("sc_aaaaaaaaaaaaaaaaaaaa").status()).isEqualTo(404);
    Reply malformed =
        rig.client.get("getCertificateVerification", "/v1/certificates/../verification", null);
    assertThat(malformed.status()).isIn(400, 404);
  }

  @Test
  void stars_follow_recorded_volunteer_hours_are_told_once_and_a_reversal_lowers_them() {
    SignedIn member = named("郑十");
    List<String> awards = recorded(member, volunteering, "VOLUNTEER", 60, DAY, 2);
    recorded(member, study, "STUDY", 12, DAY, 1);

    JsonObject level = serviceLevel(member);
    assertThat(level.getInteger("stars")).isEqualTo(1);
    assertThat(level.getLong("volunteerHours")).isEqualTo(120);
    assertThat(level.getLong("nextStarHours")).isEqualTo(300);
    assertThat(level.getLong("studyMilestone")).isEqualTo(10);
    Eventually.until(
        "the star and the study milestone told",
        WITHIN,
        () ->
            notices(member, "SERVICE_STAR_REACHED") == 1
                && notices(member, "STUDY_MILESTONE_REACHED") == 1);

    rig.requestReversal(awards.get(0), "not there");
    awaitServiceRecord("rv_" + awards.get(0));

    JsonObject lowered = serviceLevel(member);
    assertThat(lowered.getInteger("stars")).isZero();
    assertThat(lowered.getLong("volunteerHours")).isEqualTo(60);
    assertThat(lowered.getLong("nextStarHours")).isEqualTo(100);
    assertThat(notices(member, "SERVICE_STAR_REACHED")).isEqualTo(1);
  }

  @Test
  void a_database_kept_before_levels_were_totalled_gets_them_from_one_replay_of_the_chain() {
    SignedIn member = named("冯十一");
    recorded(member, volunteering, "VOLUNTEER", 60, DAY, 2);
    Eventually.until("the star told", WITHIN, () -> notices(member, "SERVICE_STAR_REACHED") == 1);
    rig.stopApi();
    MongoProbe.await(rig.mongo.collection("service_totals").drop());
    rig.startApi();

    Eventually.until(
        "the member's level replayed",
        WITHIN,
        () -> serviceLevel(member).getLong("volunteerHours") == 120);
    assertThat(serviceLevel(member).getInteger("stars")).isEqualTo(1);
    assertThat(notices(member, "SERVICE_STAR_REACHED")).as("told once, replay or not").isEqualTo(1);
  }

  private static JsonObject serviceLevel(SignedIn member) {
    Reply me = rig.client.get("getMe", "/v1/me", member.accessToken());
    assertThat(me.status()).isEqualTo(200);
    return me.json().getJsonObject("serviceLevel");
  }

  private static long notices(SignedIn member, String kind) {
    return rig
        .client
        .get("listNotifications", "/v1/me/notifications?limit=100", member.accessToken())
        .json()
        .getJsonArray("items")
        .stream()
        .map(JsonObject.class::cast)
        .filter(notice -> kind.equals(notice.getString("kind")))
        .count();
  }

  /** A resident with a name (a certificate names its member). */
  private static SignedIn named(String name) {
    SignedIn member = Sessions.resident(rig.client);
    Reply renamed =
        rig.client.patch(
            "updateMe", "/v1/me", new JsonObject().put("displayName", name), member.accessToken());
    assertThat(renamed.status()).isEqualTo(200);
    return member;
  }

  /**
   * Approved submissions of {@code units} each, waited for until the service projector kept them.
   */
  private static List<String> recorded(
      SignedIn member, String rule, String category, int units, LocalDate day, int count) {
    long points = (category.equals("STUDY") ? 2L : 5L) * units;
    List<String> ids =
        rig.seedApproved(member.memberId(), rule, category, points, units, day, count);
    ids.forEach(CertificateApiTest::awaitServiceRecord);
    return ids;
  }

  private static void awaitServiceRecord(String entryId) {
    Eventually.until(
        "service record " + entryId,
        WITHIN,
        () -> rig.mongo.count("service_records", Filters.eq("_id", entryId)) == 1);
  }

  private static Reply issue(SignedIn member, LocalDate from, LocalDate to, String category) {
    return rig.client.post(
        "issueMyCertificate",
        "/v1/me/certificates",
        body(from.toString(), to.toString(), category),
        member.accessToken());
  }

  private static JsonObject body(String from, String to, String category) {
    return new JsonObject()
        .put("from", from)
        .put("to", to)
        .put("categories", new JsonArray().add(category));
  }

  private static Reply verification(String certificateId) {
    return rig.client.send(
        "getCertificateVerification",
        HttpMethod.GET,
        "/v1/certificates/" + certificateId + "/verification",
        null,
        null);
  }

  private static String pdfPath(String certificateId) {
    return "/v1/certificates/" + certificateId + "/pdf";
  }

  private static String revokePath(String certificateId) {
    return "/v1/certificates/" + certificateId + "/revoke";
  }

  /** The JWS checked offline: only the published JWKS, the key picked by the header's kid. */
  private static byte[] verifiedPayload(String jws) {
    JsonObject jwks = rig.client.get("getJwks", "/.well-known/jwks.json", null).json();
    String kid =
        new JsonObject(
                new String(
                    Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))),
                    StandardCharsets.UTF_8))
            .getString("kid");
    PublicKey key =
        (PublicKey)
            Jwks.setParser().build().parse(jwks.encode()).getKeys().stream()
                .filter(jwk -> kid.equals(jwk.getId()))
                .map(Jwk::toKey)
                .findFirst()
                .orElseThrow();
    return Jwts.parser().verifyWith(key).build().parseSignedContent(jws).getPayload();
  }
}
