package io.eco2.tests.sse;

import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.PromScrape;
import io.eco2.tests.support.RawHttp;
import io.eco2.tests.support.SseClient;
import io.eco2.tests.support.SseRecording;
import io.eco2.testkit.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stream ends when its job does: also one resumed after an id beyond the job's last event, and one
 * over HTTP/1.0, which has no chunking and so is delimited by the connection's close.
 */
class SseStreamEndTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(List.of("probe"), null);

  private static String gatedJob(String gate) {
    return ENGINE.engine().submitOk(new JsonObject().put("image_url", "https://example.com/a.jpg").put("user_input", "gate=" + gate));
  }

  @Test
  void streamsResumedAfterAnIdBeyondTheJobsLastEventEndWhenTheJobEnds() {
    String job = gatedJob("beyond-last");
    List<SseRecording> streams = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      streams.add(ENGINE.sse().open(job, null, SseClient.lastEventId("99999999999999-0")));
    }
    Await.until("the five streams are open", () -> PromScrape.of(ENGINE.engine())
      .valueOrZero("scan_sse_connections_active", Map.of()) >= 5);
    ProbeStage.open("beyond-last");
    for (SseRecording s : streams) {
      assertThat(s.awaitEnd()).as("frames of a stream resumed beyond the end").noneMatch(f -> f.isEvent());
    }
    Await.until("no stream is left open", () -> PromScrape.of(ENGINE.engine())
      .valueOrZero("scan_sse_connections_active", Map.of()) == 0);
  }

  @Test
  void anHttp10StreamIsDelimitedByTheCloseAfterItsTerminalFrameEvenWithKeepAlive() {
    String job = gatedJob("http10");
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      c.send("GET /api/v1/scan/" + job + "/events HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      ProbeStage.open("http10");
      String all = new String(c.readUntilClosed(), StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.0 200");
      assertThat(all.toLowerCase()).doesNotContain("transfer-encoding");
      String body = all.substring(all.indexOf("\r\n\r\n") + 4);
      assertThat(body).startsWith("retry: ");
      assertThat(body).contains("event: done\n").endsWith("\n\n");
    }
  }
}
