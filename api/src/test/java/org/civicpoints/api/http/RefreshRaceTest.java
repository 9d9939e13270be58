package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A copied refresh token used by many clients at once: one rotation wins, the family dies. */
@ExtendWith(VertxExtension.class)
class RefreshRaceTest {

  private static final int RACERS = 10;

  @Test
  void concurrent_refreshes_with_one_token_rotate_once_and_revoke_the_family(
      Vertx vertx, VertxTestContext test) throws Exception {
    try (TestApi api = TestApi.start()) {
      SignedIn signedIn = Sessions.resident(api.client);
      WebClient web = WebClient.create(vertx);
      List<Reply> replies = new ArrayList<>();
      List<Future<HttpResponse<Buffer>>> racers =
          IntStream.range(0, RACERS)
              .mapToObj(
                  i ->
                      web.post(api.verticle.actualPort(), "127.0.0.1", "/v1/auth/refresh")
                          .sendJsonObject(
                              new JsonObject().put("refreshToken", signedIn.refreshToken())))
              .toList();
      Future.all(racers)
          .onComplete(
              test.succeeding(
                  all ->
                      test.verify(
                          () -> {
                            racers.forEach(
                                r ->
                                    replies.add(
                                        new Reply(
                                            r.result().statusCode(),
                                            r.result().headers(),
                                            r.result().body())));
                            test.completeNow();
                          })));
      assertThat(test.awaitCompletion(30, TimeUnit.SECONDS)).isTrue();

      replies.forEach(reply -> api.client.validate("refreshSession", reply));
      List<Reply> winners = replies.stream().filter(r -> r.status() == 200).toList();
      assertThat(winners).hasSize(1);
      assertThat(replies.stream().filter(r -> r.status() == 401)).hasSize(RACERS - 1);
      String winnersToken = winners.get(0).json().getString("refreshToken");
      Reply afterwards =
          api.client.post(
              "refreshSession",
              "/v1/auth/refresh",
              new JsonObject().put("refreshToken", winnersToken),
              null);
      assertThat(afterwards.status()).as("the family was revoked by the reuse").isEqualTo(401);
      web.close();
    }
  }
}
