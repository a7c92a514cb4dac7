package io.eco2.tests.sse;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.Gate;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.Frames.events;
import static io.eco2.tests.support.Frames.fingerprint;
import static io.eco2.tests.support.Frames.ids;
import static io.eco2.tests.support.Frames.steps;
import static io.eco2.tests.support.SseClient.lastEventId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resuming an SSE stream (CONTRACT §2): {@code Last-Event-ID} or {@code ?last_event_id=} gives every event
 * after that id and then live ones, none lost and none twice; a late subscriber gets the whole history.
 * Pipeline: {@code probe}, {@code guarded}.
 */
class SseResumeTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(List.of("probe", "guarded"), null);

  /** A job run to its end, and its whole stream as a fresh client sees it. */
  private static List<SseFrame> finishedJob(String userInput, String[] idOut) {
    String id = ENGINE.engine().submitOk(scan(userInput));
    idOut[0] = id;
    return ENGINE.sse().toEnd(id);
  }

  @Test
  void resumingWithTheLastEventIdHeaderGetsExactlyTheLaterEvents() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("probe.fail=1", id));
    SseFrame middle = all.get(2);
    List<SseFrame> resumed = ENGINE.sse().open(id[0], null, lastEventId(middle.id())).awaitEnd();
    assertThat(fingerprint(resumed)).isEqualTo(fingerprint(all.subList(3, all.size())));
  }

  @Test
  void resumingWithTheLastEventIdQueryParameterGetsExactlyTheLaterEvents() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("x", id));
    SseFrame middle = all.get(3);
    List<SseFrame> resumed = ENGINE.sse().open(id[0], "last_event_id=" + middle.id(), null).awaitEnd();
    assertThat(fingerprint(resumed)).isEqualTo(fingerprint(all.subList(4, all.size())));
  }

  @Test
  void aResumedStreamStillStartsWithTheRetryFrame() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("x", id));
    List<SseFrame> resumed = ENGINE.sse().open(id[0], null, lastEventId(all.get(1).id())).awaitEnd();
    assertThat(resumed.get(0).retry()).isEqualTo(3000L);
  }

  @Test
  void resumingMidRunLosesAndRepeatsNothing() {
    try (Gate gate = new Gate()) {
      String id = ENGINE.engine().submitOk(scan(gate.directive("guarded")));
      SseRecording first = ENGINE.sse().open(id, null, null);
      Await.until("the first stream saw guarded start", () -> steps(first.frames()).contains("guarded/started"));
      first.disconnect();
      List<SseFrame> before = events(first.frames());
      SseRecording second = ENGINE.sse().open(id, null, lastEventId(before.get(before.size() - 1).id()));
      gate.open();
      List<SseFrame> after = events(second.awaitEnd());

      List<SseFrame> full = events(ENGINE.sse().toEnd(id));
      List<String> union = new ArrayList<>(fingerprint(before));
      union.addAll(fingerprint(after));
      assertThat(union).isEqualTo(fingerprint(full));
      assertThat(steps(after)).containsExactly("guarded/completed", "done/completed");
    }
  }

  @Test
  void eventsLoggedWhileDisconnectedArriveOnResumeBeforeLiveOnes() {
    try (Gate probeGate = new Gate(); Gate guardedGate = new Gate()) {
      String id = ENGINE.engine().submitOk(scan(probeGate.directive("probe") + " " + guardedGate.directive("guarded")));
      SseRecording first = ENGINE.sse().open(id, null, null);
      Await.until("the first stream saw probe start", () -> steps(first.frames()).contains("probe/started"));
      first.disconnect();
      List<SseFrame> before = events(first.frames());
      probeGate.open();
      Await.until("the job at guarded", () -> "guarded".equals(ENGINE.engine().get("/api/v1/scan/" + id).bodyAsJsonObject().getString("stage")));

      SseRecording second = ENGINE.sse().open(id, null, lastEventId(before.get(before.size() - 1).id()));
      Await.until("the resumed stream saw guarded start", () -> steps(second.frames()).contains("guarded/started"));
      guardedGate.open();
      List<SseFrame> after = events(second.awaitEnd());

      assertThat(steps(after)).containsExactly("probe/completed", "guarded/started", "guarded/completed", "done/completed");
      List<String> union = new ArrayList<>(ids(before));
      union.addAll(ids(after));
      assertThat(union).isEqualTo(ids(events(ENGINE.sse().toEnd(id))));
    }
  }

  @Test
  void aLateSubscriberGetsTheWholeHistoryThenDone() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("probe.fail=1", id));
    List<SseFrame> late = ENGINE.sse().toEnd(id[0]);
    assertThat(fingerprint(late)).isEqualTo(fingerprint(all));
    assertThat(late.get(late.size() - 1).event()).isEqualTo("done");
    assertThat(events(late).get(0).json().getLong("seq")).isZero();
  }

  @Test
  void aLateSubscriberToAFailedJobGetsTheWholeHistoryThenTheError() {
    String id = ENGINE.engine().submitOk(scan("probe.permanent"));
    Await.until("the job failed", () -> "failed".equals(ENGINE.engine().get("/api/v1/scan/" + id).bodyAsJsonObject().getString("status")));
    List<SseFrame> late = ENGINE.sse().toEnd(id);
    assertThat(steps(late)).containsExactly("queued/completed", "probe/started", "error/failed");
    assertThat(late.get(late.size() - 1).event()).isEqualTo("error");
  }

  @Test
  void aLastEventIdOfZeroReplaysEverything() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("x", id));
    assertThat(fingerprint(ENGINE.sse().open(id[0], null, lastEventId("0-0")).awaitEnd())).isEqualTo(fingerprint(all));
  }

  @Test
  void resumingFromTheTerminalEventEndsTheStreamWithoutRepeatingIt() {
    // EventSource reconnects by itself after the server ends a stream, sending the id of `done`
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("x", id));
    SseRecording rec = ENGINE.sse().open(id[0], null, lastEventId(all.get(all.size() - 1).id()));
    try {
      List<SseFrame> frames = rec.awaitEnd();
      assertThat(events(frames)).isEmpty();
    } finally {
      rec.disconnect();
    }
  }

  @Test
  void aMalformedLastEventIdHeaderIs400InvalidLastEventId() {
    String id = ENGINE.engine().submitOk(scan("x"));
    HttpResponse<Buffer> r = Await.result(ENGINE.engine().client().get("/api/v1/scan/" + id + "/events")
      .putHeader("Accept", "text/event-stream").putHeader("Last-Event-ID", "not-an-id").send());
    assertApiError(r, 400, "INVALID_LAST_EVENT_ID");
  }

  @Test
  void aMalformedLastEventIdQueryParameterIs400InvalidLastEventId() {
    String id = ENGINE.engine().submitOk(scan("x"));
    HttpResponse<Buffer> r = Await.result(ENGINE.engine().client().get("/api/v1/scan/" + id + "/events?last_event_id=12-x")
      .putHeader("Accept", "text/event-stream").send());
    assertApiError(r, 400, "INVALID_LAST_EVENT_ID");
  }

  @Test
  void aNegativeLastEventIdIs400InvalidLastEventId() {
    String id = ENGINE.engine().submitOk(scan("x"));
    HttpResponse<Buffer> r = Await.result(ENGINE.engine().client().get("/api/v1/scan/" + id + "/events")
      .putHeader("Accept", "text/event-stream").putHeader("Last-Event-ID", "-5").send());
    assertApiError(r, 400, "INVALID_LAST_EVENT_ID");
  }

  @Test
  void theResumedDataIsTheSameAsFirstSent() {
    String[] id = new String[1];
    List<SseFrame> all = events(finishedJob("x", id));
    JsonObject firstDone = all.get(all.size() - 1).json();
    List<SseFrame> resumed = events(ENGINE.sse().open(id[0], null, lastEventId(all.get(0).id())).awaitEnd());
    assertThat(resumed.get(resumed.size() - 1).json()).isEqualTo(firstDone);
  }
}
