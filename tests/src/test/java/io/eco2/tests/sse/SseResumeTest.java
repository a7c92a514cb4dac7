package io.eco2.tests.sse;

import io.eco2.tests.support.EngineHarness;
import io.eco2.tests.support.Gate;
import io.eco2.tests.support.SseClient;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.awaitWithin;
import static io.eco2.tests.support.ApiChecks.events;
import static io.eco2.tests.support.ApiChecks.fingerprint;
import static io.eco2.tests.support.ApiChecks.ids;
import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.ApiChecks.steps;
import static io.eco2.tests.support.EngineHarness.await;
import static io.eco2.tests.support.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resuming an SSE stream (CONTRACT §2): {@code Last-Event-ID} or {@code ?last_event_id=} gives every event
 * after that id and then live ones, none lost and none twice; a late subscriber gets the whole history.
 * Pipeline: {@code probe}, {@code guarded}.
 */
@ExtendWith(VertxExtension.class)
class SseResumeTest {

  private static final Duration END = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static EngineHarness engine;
  private static SseClient sse;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    engine = EngineHarness.start(vertx, EngineHarness.pipeline(List.of("probe", "guarded"), null));
    sse = new SseClient(vertx, engine.port());
  }

  @AfterAll
  static void stop() {
    if (sse != null) {
      sse.close();
    }
    if (engine != null) {
      engine.close();
    }
    await(vertx.close());
  }

  private static MultiMap lastEventId(String id) {
    return MultiMap.caseInsensitiveMultiMap().add("Last-Event-ID", id);
  }

  private static List<SseFrame> toEnd(SseRecording rec, String what) {
    return awaitWithin(rec.ended(), END, what);
  }

  /** A job run to its end, and its whole stream as a fresh client sees it. */
  private static List<SseFrame> finishedJob(String userInput, String[] idOut) {
    String id = engine.submitOk(scan(userInput));
    idOut[0] = id;
    return toEnd(sse.open(id, null, null), "first stream of " + id);
  }

  @Test
  void resumingWithTheLastEventIdHeaderGetsExactlyTheLaterEvents() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("probe.fail=1", id));
    SseFrame middle = all.get(2);
    List<SseFrame> resumed = toEnd(sse.open(id[0], null, lastEventId(middle.id())), "resumed stream");
    assertThat(fingerprint(resumed)).isEqualTo(fingerprint(all.subList(3, all.size())));
  }

  @Test
  void resumingWithTheLastEventIdQueryParameterGetsExactlyTheLaterEvents() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("x", id));
    SseFrame middle = all.get(3);
    List<SseFrame> resumed = toEnd(sse.open(id[0], "last_event_id=" + middle.id(), null), "resumed stream");
    assertThat(fingerprint(resumed)).isEqualTo(fingerprint(all.subList(4, all.size())));
  }

  @Test
  void aResumedStreamStillStartsWithTheRetryFrame() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("x", id));
    List<SseFrame> resumed = toEnd(sse.open(id[0], null, lastEventId(all.get(1).id())), "resumed stream");
    assertThat(resumed.get(0).retry()).isEqualTo(3000L);
  }

  @Test
  void resumingMidRunLosesAndRepeatsNothing() {
    try (Gate gate = new Gate()) {
      String id = engine.submitOk(scan(gate.directive("guarded")));
      SseRecording first = sse.open(id, null, null);
      eventually(() -> steps(first.frames()).contains("guarded/started"));
      first.disconnect();
      List<SseFrame> before = events(first.frames());
      SseRecording second = sse.open(id, null, lastEventId(before.get(before.size() - 1).id()));
      gate.open();
      List<SseFrame> after = events(toEnd(second, "resumed stream"));

      List<SseFrame> full = events(toEnd(sse.open(id, null, null), "full history"));
      List<String> union = new ArrayList<>(fingerprint(before));
      union.addAll(fingerprint(after));
      assertThat(union).isEqualTo(fingerprint(full));
      assertThat(steps(after)).containsExactly("guarded/completed", "done/completed");
    }
  }

  @Test
  void eventsLoggedWhileDisconnectedArriveOnResumeBeforeLiveOnes() {
    try (Gate probeGate = new Gate(); Gate guardedGate = new Gate()) {
      String id = engine.submitOk(scan(probeGate.directive("probe") + " " + guardedGate.directive("guarded")));
      SseRecording first = sse.open(id, null, null);
      eventually(() -> steps(first.frames()).contains("probe/started"));
      first.disconnect();
      List<SseFrame> before = events(first.frames());
      probeGate.open();
      eventually(() -> "guarded".equals(engine.get("/api/v1/scan/" + id).bodyAsJsonObject().getString("stage")));

      SseRecording second = sse.open(id, null, lastEventId(before.get(before.size() - 1).id()));
      eventually(() -> steps(second.frames()).contains("guarded/started"));
      guardedGate.open();
      List<SseFrame> after = events(toEnd(second, "resumed stream"));

      assertThat(steps(after)).containsExactly("probe/completed", "guarded/started", "guarded/completed", "done/completed");
      List<String> union = new ArrayList<>(ids(before));
      union.addAll(ids(after));
      assertThat(union).isEqualTo(ids(events(toEnd(sse.open(id, null, null), "full history"))));
    }
  }

  @Test
  void aLateSubscriberGetsTheWholeHistoryThenDone() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("probe.fail=1", id));
    List<SseFrame> late = toEnd(sse.open(id[0], null, null), "late stream");
    assertThat(fingerprint(late)).isEqualTo(fingerprint(all));
    assertThat(late.get(late.size() - 1).event()).isEqualTo("done");
    assertThat(events(late).get(0).json().getLong("seq")).isZero();
  }

  @Test
  void aLateSubscriberToAFailedJobGetsTheWholeHistoryThenTheError() {
    String id = engine.submitOk(scan("probe.permanent"));
    eventually(() -> "failed".equals(engine.get("/api/v1/scan/" + id).bodyAsJsonObject().getString("status")));
    List<SseFrame> late = toEnd(sse.open(id, null, null), "late stream");
    assertThat(steps(late)).containsExactly("queued/completed", "probe/started", "error/failed");
    assertThat(late.get(late.size() - 1).event()).isEqualTo("error");
  }

  @Test
  void aLastEventIdOfZeroReplaysEverything() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("x", id));
    assertThat(fingerprint(toEnd(sse.open(id[0], null, lastEventId("0-0")), "replay"))).isEqualTo(fingerprint(all));
  }

  @Test
  void resumingFromTheTerminalEventEndsTheStreamWithoutRepeatingIt() {
    // EventSource reconnects by itself after the server ends a stream, sending the id of `done`
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("x", id));
    SseRecording rec = sse.open(id[0], null, lastEventId(all.get(all.size() - 1).id()));
    try {
      List<SseFrame> frames = SseClient.toEnd(rec, Duration.ofSeconds(3));
      assertThat(events(frames)).isEmpty();
    } finally {
      rec.disconnect();
    }
  }

  @Test
  void aMalformedLastEventIdHeaderIs400InvalidLastEventId() {
    String id = engine.submitOk(scan("x"));
    HttpResponse<Buffer> r = await(engine.client().get("/api/v1/scan/" + id + "/events")
      .putHeader("Accept", "text/event-stream").putHeader("Last-Event-ID", "not-an-id").send());
    assertApiError(r, 400, "INVALID_LAST_EVENT_ID");
  }

  @Test
  void aMalformedLastEventIdQueryParameterIs400InvalidLastEventId() {
    String id = engine.submitOk(scan("x"));
    HttpResponse<Buffer> r = await(engine.client().get("/api/v1/scan/" + id + "/events?last_event_id=12-x")
      .putHeader("Accept", "text/event-stream").send());
    assertApiError(r, 400, "INVALID_LAST_EVENT_ID");
  }

  @Test
  void aNegativeLastEventIdIs400InvalidLastEventId() {
    String id = engine.submitOk(scan("x"));
    HttpResponse<Buffer> r = await(engine.client().get("/api/v1/scan/" + id + "/events")
      .putHeader("Accept", "text/event-stream").putHeader("Last-Event-ID", "-5").send());
    assertApiError(r, 400, "INVALID_LAST_EVENT_ID");
  }

  @Test
  void theResumedDataIsTheSameAsFirstSent() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("x", id));
    JsonObject firstDone = all.get(all.size() - 1).json();
    List<SseFrame> resumed = events(toEnd(sse.open(id[0], null, lastEventId(all.get(0).id())), "resumed"));
    assertThat(resumed.get(resumed.size() - 1).json()).isEqualTo(firstDone);
  }
}
