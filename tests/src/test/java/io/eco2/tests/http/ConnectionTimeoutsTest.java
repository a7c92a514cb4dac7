package io.eco2.tests.http;

import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.RawHttp;
import io.eco2.tests.support.StillServing;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The front door's timeouts over raw sockets, with short timeouts configured: a slowloris client is cut off
 * before it finishes its headers, a body that stops arriving closes its connection, idle connections are
 * closed, and an SSE stream kept busy by keep-alives is not idle.
 */
class ConnectionTimeoutsTest {

  private static final long HEADER_TIMEOUT_MS = 400;
  private static final long IDLE_TIMEOUT_MS = 1000;

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe"), null)
    .put("http", new JsonObject().put("header-timeout-ms", HEADER_TIMEOUT_MS).put("body-timeout-ms", HEADER_TIMEOUT_MS)
      .put("idle-timeout-seconds", IDLE_TIMEOUT_MS / 1000))
    .put("sse", new JsonObject().put("keepalive-seconds", 0.1)));

  /** No request here logs a stack trace, and the engine still serves after each. */
  @RegisterExtension
  final StillServing stillServing = StillServing.of(ENGINE);

  @Test
  void aClientTricklingItsHeadersIsAnswered408AndCutOffBeforeItFinishes() throws InterruptedException {
    byte[] head = ("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(2000) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      int sent = 0;
      // One byte per 20 ms would take 40 s; the header timeout is 0.4 s. The pacing is the scenario (a client
      // trickling its headers), not a wait for anything.
      while (sent < head.length && c.trySend(new byte[] {head[sent]})) {
        sent++;
        Thread.sleep(20);
        if (sent % 16 == 0 && c.available() > 0) {
          break;
        }
      }
      assertThat(sent).as("bytes sent before the server answered").isLessThan(head.length);
      c.read().assertApiError(408, "REQUEST_TIMEOUT");
      c.assertClosed();
    }
  }

  @Test
  void aConnectionThatNeverSendsARequestIsAnswered408AndClosed() {
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      c.read().assertApiError(408, "REQUEST_TIMEOUT");
      c.assertClosed();
    }
  }

  @Test
  void aBodyThatStopsArrivingClosesTheConnection() {
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      c.send("POST /api/v1/scan HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ima");
      c.readUntilClosed();
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosed() {
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      assertThat(c.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
      c.assertClosed();
    }
  }

  @Test
  void anSseStreamKeptBusyByKeepAlivesOutlivesTheIdleTimeout() {
    String job = ENGINE.engine().submitOk(new JsonObject().put("image_url", "https://example.com/a.jpg").put("user_input", "gate=idle-sse"));
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      c.send("GET /api/v1/scan/" + job + "/events HTTP/1.1\r\nHost: x\r\n\r\n");
      long opened = System.currentTimeMillis();
      int keepalives = 0;
      // Three idle timeouts' worth of keep-alives on one open stream.
      while (System.currentTimeMillis() - opened < 3 * IDLE_TIMEOUT_MS) {
        String text = c.readSome();
        keepalives += text.split(": keepalive", -1).length - 1;
      }
      assertThat(keepalives).isGreaterThan(3);
    } finally {
      io.eco2.tests.stages.ProbeStage.open("idle-sse");
    }
  }
}
