package io.eco2.tests.sse;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.Frames.eventId;
import static io.eco2.tests.support.Frames.events;
import static io.eco2.tests.support.Frames.steps;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/scan/{id}/events} (CONTRACT §2) over the pipeline {@code probe}, {@code guarded}. */
class SseStreamTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(List.of("probe", "guarded"), null);

  /** Every frame of a new job's stream, which must end by itself. */
  private static List<SseFrame> run(String userInput) {
    String id = ENGINE.engine().submitOk(scan(userInput));
    return ENGINE.sse().toEnd(id);
  }

  private static HttpResponse<Buffer> openAsEventSource(String jobId) {
    return Await.result(ENGINE.engine().client().get("/api/v1/scan/" + jobId + "/events").putHeader("Accept", "text/event-stream").send());
  }

  // ---- the response ------------------------------------------------------------------------------------

  @Test
  void theStreamIsServedAsEventStreamWithoutCaching() {
    String id = ENGINE.engine().submitOk(scan("x"));
    SseRecording rec = ENGINE.sse().open(id);
    rec.awaitEnd();
    assertThat(rec.status()).isEqualTo(200);
    assertThat(rec.response().getHeader("Content-Type")).startsWith("text/event-stream");
    assertThat(rec.response().getHeader("Cache-Control")).isEqualTo("no-cache");
  }

  @Test
  void theFirstFrameIsRetry3000() {
    SseFrame first = run("x").get(0);
    assertThat(first.retry()).isEqualTo(3000L);
    assertThat(first.isEvent()).isFalse();
  }

  // ---- a successful job --------------------------------------------------------------------------------

  @Test
  void aSuccessfulJobStreamsQueuedThenStartedAndCompletedPerStageThenDone() {
    assertThat(steps(run("x"))).containsExactly("queued/completed", "probe/started", "probe/completed",
      "guarded/started", "guarded/completed", "done/completed");
  }

  @Test
  void eachFrameIsNamedForItsStageAndCarriesTheJobId() {
    String id = ENGINE.engine().submitOk(scan("x"));
    for (SseFrame f : events(ENGINE.sse().toEnd(id))) {
      assertThat(f.event()).isEqualTo(f.json().getString("stage"));
      assertThat(f.json().getString("job_id")).isEqualTo(id);
    }
  }

  @Test
  void eachFrameCarriesExactlyTheContractDataFields() {
    for (SseFrame f : events(run("x"))) {
      assertThat(f.json().fieldNames()).as(f.data())
        .containsExactlyInAnyOrder("job_id", "stage", "status", "seq", "ts", "progress", "result");
      assertThat(f.id()).as(f.data()).isNotBlank();
    }
  }

  @Test
  void eventIdsStrictlyIncrease() {
    List<SseFrame> events = events(run("fail=1"));
    for (int i = 1; i < events.size(); i++) {
      assertThat(eventId(events.get(i)).isAfter(eventId(events.get(i - 1))))
        .as("%s after %s", events.get(i).id(), events.get(i - 1).id()).isTrue();
    }
  }

  @Test
  void seqRunsFromZeroWithoutGaps() {
    List<SseFrame> events = events(run("fail=1"));
    List<Long> seqs = events.stream().map(f -> f.json().getLong("seq")).collect(Collectors.toList());
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).as("seq of event %d in %s", i, seqs).isEqualTo((long) i);
    }
  }

  @Test
  void progressIsTheStageShareAndNeverDecreases() {
    List<Integer> progress = events(run("probe.fail=1")).stream().map(f -> f.json().getInteger("progress"))
      .collect(Collectors.toList());
    // queued, probe started/retrying/completed, guarded started/completed, done
    assertThat(progress).containsExactly(0, 0, 0, 50, 50, 100, 100);
  }

  @Test
  void onlyCompletedFramesCarryAResult() {
    for (SseFrame f : events(run("probe.fail=1"))) {
      JsonObject data = f.json();
      boolean stageCompleted = !"queued".equals(f.event()) && !"done".equals(f.event())
        && "completed".equals(data.getString("status"));
      if (stageCompleted) {
        assertThat(data.getJsonObject("result").fieldNames()).as(f.data()).contains(f.event());
      } else if (!"done".equals(f.event())) {
        assertThat(data.getValue("result")).as(f.data()).isNull();
      }
    }
  }

  @Test
  void aRetriedStageIsStartedOnceAndRetryingBeforeEachRetry() {
    assertThat(steps(run("probe.fail=2"))).containsExactly("queued/completed", "probe/started",
      "probe/retrying", "probe/retrying", "probe/completed", "guarded/started", "guarded/completed", "done/completed");
  }

  @Test
  void theStreamEndsRightAfterDone() {
    List<SseFrame> frames = run("x");
    SseFrame last = frames.get(frames.size() - 1);
    assertThat(last.event()).isEqualTo("done");
    assertThat(last.json().getInteger("progress")).isEqualTo(100);
  }

  // ---- a job that cannot finish ------------------------------------------------------------------------

  @Test
  void aFailedJobEndsWithExactlyOneErrorFrameAndTheStreamEnds() {
    List<SseFrame> frames = run("probe.permanent");
    List<SseFrame> errors = events(frames).stream().filter(f -> "error".equals(f.event())).collect(Collectors.toList());
    assertThat(errors).hasSize(1);
    assertThat(frames.get(frames.size() - 1)).isEqualTo(errors.get(0));
    assertThat(steps(frames)).doesNotContain("done/completed");
  }

  @Test
  void theErrorFrameIsFailedWithTheFailingStageAndCode() {
    List<SseFrame> events = events(run("probe.permanent"));
    JsonObject error = events.get(events.size() - 1).json();
    assertThat(error.getString("stage")).isEqualTo("error");
    assertThat(error.getString("status")).isEqualTo("failed");
    JsonObject result = error.getJsonObject("result");
    assertThat(result.getString("code")).isEqualTo("TEST_PERMANENT");
    assertThat(result.getString("stage")).isEqualTo("probe");
    assertThat(result.getString("error")).isNotBlank();
  }

  @Test
  void theErrorFrameIsAnEventOfTheLogWithIdAndNextSeq() {
    List<SseFrame> events = events(run("probe.permanent"));
    SseFrame error = events.get(events.size() - 1);
    assertThat(error.id()).isNotBlank();
    assertThat(error.json().getLong("seq")).isEqualTo((long) events.size() - 1);
  }

  @Test
  void aStageThatExhaustsItsRetriesFailsTheJobWithItsLastCode() {
    // probe allows 2 retries: 3 failing attempts
    List<SseFrame> events = events(run("probe.fail=3"));
    assertThat(steps(events)).containsExactly("queued/completed", "probe/started", "probe/retrying",
      "probe/retrying", "error/failed");
    assertThat(events.get(events.size() - 1).json().getJsonObject("result").getString("code")).isEqualTo("TEST_FAILURE");
  }

  // ---- not a stream ------------------------------------------------------------------------------------

  @Test
  void anUnknownJobIs404JobNotFoundJsonNotAStream() {
    assertApiError(openAsEventSource(UUID.randomUUID().toString()), 404, "JOB_NOT_FOUND");
  }

  @Test
  void aNonUuidJobIdIs404JobNotFoundJsonNotAStream() {
    assertApiError(openAsEventSource("abc"), 404, "JOB_NOT_FOUND");
  }
}
