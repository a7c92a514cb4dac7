package io.eco2.tests.sse;

import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.Gate;
import io.eco2.tests.support.SseClient;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.Frames.events;
import static io.eco2.tests.support.Frames.fingerprint;
import static io.eco2.tests.support.Frames.steps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive comments and the maximum stream duration (CONTRACT §2), configured as short as the schema
 * allows for keep-alive ({@code ENGINE.sse().keepalive-seconds} is an integer of at least 1) and a little longer for
 * the maximum duration ({@code ENGINE.sse().max-duration-seconds: 3}) so that a quiet stream has room for keep-alives
 * before it times out. Jobs wait on a gate so that the stream stays quiet.
 */
class SseKeepaliveAndTimeoutTest {

  private static final int MAX_DURATION_SECONDS = 3;

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe", "guarded"), null)
    .put("sse", new JsonObject().put("keepalive-seconds", 1).put("max-duration-seconds", MAX_DURATION_SECONDS)));

  private static Gate quietGate;
  private static Gate resumeGate;
  /** A job gated in {@code guarded}, whose stream the server ended by timeout; its gate stays closed. */
  private static String quietJob;
  private static List<SseFrame> quietFrames;
  /** Another such job, for the test that opens its gate and resumes. */
  private static String resumeJob;
  private static List<SseFrame> resumeFrames;

  @BeforeAll
  static void startGatedJobs() {
    // both streams time out together: the class waits for the maximum duration once
    quietGate = new Gate();
    resumeGate = new Gate();
    quietJob = ENGINE.engine().submitOk(scan(quietGate.directive("guarded")));
    resumeJob = ENGINE.engine().submitOk(scan(resumeGate.directive("guarded")));
    SseRecording quiet = ENGINE.sse().open(quietJob);
    SseRecording resume = ENGINE.sse().open(resumeJob);
    quietFrames = quiet.awaitEnd();
    resumeFrames = resume.awaitEnd();
  }

  @AfterAll
  static void openGates() {
    if (quietGate != null) {
      quietGate.close();
    }
    if (resumeGate != null) {
      resumeGate.close();
    }
  }

  @Test
  void aQuietStreamGetsKeepaliveComments() {
    List<SseFrame> keepalives = quietFrames.stream().filter(SseFrame::isComment).collect(Collectors.toList());
    assertThat(keepalives).as("frames %s", quietFrames).isNotEmpty();
    assertThat(keepalives).allSatisfy(k -> {
      assertThat(k.comment()).isEqualTo("keepalive");
      assertThat(k.id()).isNull();
      assertThat(k.event()).isNull();
    });
  }

  @Test
  void keepalivesComeOnlyAfterTheJobWentQuiet() {
    int firstKeepalive = -1;
    for (int i = 0; i < quietFrames.size() && firstKeepalive < 0; i++) {
      if (quietFrames.get(i).isComment()) {
        firstKeepalive = i;
      }
    }
    assertThat(firstKeepalive).as("frames %s", quietFrames).isPositive();
    assertThat(steps(quietFrames.subList(0, firstKeepalive))).containsExactly("queued/completed", "probe/started",
      "probe/completed", "guarded/started");
  }

  @Test
  void aStreamOpenLongerThanTheMaximumEndsWithAStreamTimeoutErrorWithoutId() {
    SseFrame last = quietFrames.get(quietFrames.size() - 1);
    assertThat(last.event()).isEqualTo("error");
    assertThat(last.id()).isNull();
    JsonObject data = last.json();
    assertThat(data.getString("stage")).isEqualTo("error");
    assertThat(data.getString("status")).isEqualTo("failed");
    assertThat(data.containsKey("seq")).isTrue();
    assertThat(data.getValue("seq")).isNull();
    assertThat(data.getString("job_id")).isEqualTo(quietJob);
    assertThat(data.getJsonObject("result").getString("code")).isEqualTo("STREAM_TIMEOUT");
    assertThat(data.getJsonObject("result").getString("error")).isNotBlank();
  }

  @Test
  void theStreamTimeoutIsTheOnlyErrorFrameAndNoDoneIsSent() {
    assertThat(events(quietFrames).stream().filter(f -> "error".equals(f.event())).count()).isEqualTo(1);
    assertThat(steps(quietFrames)).doesNotContain("done/completed");
  }

  @Test
  void theJobGoesOnAfterAStreamTimeout() {
    JsonObject status = ENGINE.engine().get("/api/v1/scan/" + quietJob).bodyAsJsonObject();
    assertThat(status.getString("status")).isEqualTo("running");
    assertThat(status.getString("stage")).isEqualTo("guarded");
  }

  @Test
  void afterAStreamTimeoutTheClientResumesWithLastEventIdThroughDone() {
    List<SseFrame> logged = events(resumeFrames).stream().filter(f -> f.id() != null).collect(Collectors.toList());
    String lastId = logged.get(logged.size() - 1).id();

    SseRecording resumed = ENGINE.sse().open(resumeJob, null, SseClient.lastEventId(lastId));
    resumeGate.open();
    List<SseFrame> after = events(resumed.awaitEnd());
    assertThat(steps(after)).containsExactly("guarded/completed", "done/completed");

    List<String> union = new ArrayList<>(fingerprint(logged));
    union.addAll(fingerprint(after));
    assertThat(union).isEqualTo(fingerprint(ENGINE.sse().toEnd(resumeJob)));
  }
}
