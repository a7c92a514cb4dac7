package com.example.embedded;

import io.eco2.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedding example: the engine as a library, its routes on the application's own router and server, every
 * request of the class on one kept-alive connection.
 */
class GreetingAppTest {

  private static Vertx vertx;
  private static GreetingApp app;
  private static HttpClient http;

  /**
   * Submit, events, result sequences on one connection. With the body asked for once {@code send()} had
   * completed (see {@link #call}), about one sequence in 70 hung: 300 of them meet that with a probability of 98 %.
   */
  private static final int SEQUENCES = 300;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    app = Await.result(GreetingApp.start(vertx, 0), "the greeting app to start");
    // One kept-alive connection for every request of this class.
    http = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(1));
  }

  @AfterAll
  static void stop() {
    Await.result(app.close(), "the app to close");
    Await.result(vertx.close(), "vertx to close");
  }

  /** @param connection the client's end of the connection that carried the exchange */
  private record Reply(int status, String body, String connection) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private static Reply call(HttpMethod method, String path, String body) {
    return call(method, path, body, "");
  }

  /**
   * Sends a request and reads its whole answer. The answer's future is taken before the request is sent: with
   * Vert.x 5.0.7, {@code body()} asked for after the response has ended never completes (its end is dropped,
   * eclipse-vertx/vert.x#6038, fixed in 5.0.11), and a {@code send().compose(r -> r.body())} chain built on
   * this test thread can be overtaken by a kept-alive connection that has already read the whole answer.
   */
  private static Reply call(HttpMethod method, String path, String body, String what) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(app.port()).setURI(path);
    return Await.result(http.request(options).compose(req -> {
      Future<Reply> reply = req.response()
        .compose(r -> r.body().map(b -> new Reply(r.statusCode(), b.toString(), String.valueOf(req.connection().localAddress()))));
      if (body != null) {
        req.putHeader("Content-Type", "application/json").end(body);
      } else {
        req.end();
      }
      return reply;
    }), Await.timeout(), what + method + " " + path);
  }

  @Test
  void aJobSubmittedOnTheApplicationsServerRunsTheStageGivenInCode() {
    Reply submitted = call(HttpMethod.POST, GreetingApp.BASE_PATH, new JsonObject().put("name", "Ada").encode());
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(200);
    String id = submitted.json().getString("job_id");
    assertThat(submitted.json().getString("stream_url")).isEqualTo(GreetingApp.BASE_PATH + "/" + id + "/events");

    // The stream ends after its terminal event, so its whole body is the job's history.
    Reply stream = call(HttpMethod.GET, GreetingApp.BASE_PATH + "/" + id + "/events", null);
    List<String> events = Arrays.stream(stream.body().split("\n")).filter(l -> l.startsWith("event: ")).toList();
    assertThat(events).containsExactly("event: queued", "event: greet", "event: greet", "event: done");

    Reply result = call(HttpMethod.GET, GreetingApp.BASE_PATH + "/" + id + "/result", null);
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.json().getString("status")).isEqualTo("completed");
    assertThat(result.json().getJsonObject("result").getString("greeting")).isEqualTo("Hello, Ada!");
  }

  @Test
  void theApplicationsOwnRoutesAndTheEnginesOperationsRoutesShareOneServer() {
    Reply hello = call(HttpMethod.GET, "/hello", null);
    assertThat(hello.status()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("hello from the application");
    assertThat(call(HttpMethod.GET, "/health/ready", null).status()).isEqualTo(200);
  }

  @Test
  void everyRequestOnAKeptAliveConnectionIsAnswered() {
    Set<String> connections = new HashSet<>();
    for (int i = 1; i <= SEQUENCES; i++) {
      String sequence = "sequence " + i + " of " + SEQUENCES + ": ";
      Reply submitted = call(HttpMethod.POST, GreetingApp.BASE_PATH, new JsonObject().put("name", "Ada").encode(), sequence);
      assertThat(submitted.status()).as(sequence + submitted.body()).isEqualTo(200);
      String id = submitted.json().getString("job_id");
      Reply stream = call(HttpMethod.GET, GreetingApp.BASE_PATH + "/" + id + "/events", null, sequence);
      assertThat(stream.body()).as(sequence + "the stream").contains("event: done");
      Reply result = call(HttpMethod.GET, GreetingApp.BASE_PATH + "/" + id + "/result", null, sequence);
      assertThat(result.status()).as(sequence + result.body()).isEqualTo(200);
      connections.addAll(List.of(submitted.connection(), stream.connection(), result.connection()));
    }
    // Otherwise this would not be about kept-alive connections.
    assertThat(connections).as("connections used").hasSize(1);
  }
}
