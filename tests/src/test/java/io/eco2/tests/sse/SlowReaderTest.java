package io.eco2.tests.sse;

import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.PromScrape;
import io.eco2.tests.support.RawHttp;
import io.eco2.testkit.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sse.max-buffered-bytes} through a real socket: a client with a 4 KiB receive buffer that never reads
 * watches a job whose frames (the probe's {@code bytes=} output) are larger than the engine's send buffer
 * ({@code http.send-buffer-bytes}), so bytes stay unwritten in the engine when the next frame comes; it is cut
 * off, counted, and the engine goes on serving.
 *
 * <p>The big frame is the first stage's {@code completed}; the next frames come from a second, gated stage
 * whose gate opens only once its {@code started} is logged. The stream may write one batch of frames past the
 * bound when the socket has taken everything before it (a last stage's {@code completed} and {@code done}
 * arrive together), so the frame that must overflow is kept out of the big frame's batch.
 */
class SlowReaderTest {

  private static final int BOUND = 16_384;
  // Four times the engine's send buffer: the socket cannot take one frame, so its bytes stay unwritten.
  private static final int SEND_BUFFER = 65_536;
  private static final int FRAME = 4 * SEND_BUFFER;

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe", "guarded"), null)
    .put("http", new JsonObject().put("send-buffer-bytes", SEND_BUFFER))
    .put("sse", new JsonObject().put("max-buffered-bytes", BOUND)));

  private static double cutOff() {
    return PromScrape.of(ENGINE.engine()).valueOrZero("sse_slow_clients_disconnected_total", Map.of());
  }

  @Test
  void aReaderThatLetsMoreThanTheBoundPileUpIsCutOff() {
    double before = cutOff();
    String job = ENGINE.engine().submitOk(new JsonObject().put("image_url", "https://example.com/a.jpg")
      .put("user_input", "probe.gate=slow-reader probe.bytes=" + FRAME + " guarded.gate=slow-reader-next"));
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port(), 4096)) {
      c.send("GET /api/v1/scan/" + job + "/events HTTP/1.1\r\nHost: x\r\n\r\n");
      ProbeStage.open("slow-reader");
      Await.until("the second stage running", () -> "guarded".equals(ENGINE.engine().get("/api/v1/scan/" + job)
        .bodyAsJsonObject().getString("stage")));
      ProbeStage.open("slow-reader-next");
      Await.until("the slow reader is cut off", () -> cutOff() > before);
      byte[] received = c.readUntilClosed();
      assertThat(new String(received, StandardCharsets.UTF_8)).as("what reached the slow reader").doesNotContain("event: done");
    }
    assertThat(ENGINE.engine().get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void aReaderThatKeepsReadingGetsEveryBigFrame() {
    String job = ENGINE.engine().submitOk(new JsonObject().put("image_url", "https://example.com/a.jpg")
      .put("user_input", "bytes=" + 8_000));
    assertThat(ENGINE.sse().toEnd(job)).anyMatch(f -> "done".equals(f.event()));
  }
}
