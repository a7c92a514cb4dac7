package io.eco2.tests.http;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.RawHttp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code http.max-connections}: a process holds at most that many connections; one more is answered 503
 * {@code TOO_MANY_CONNECTIONS} and closed, and a slot freed is usable again.
 */
class ConnectionLimitTest {

  private static final int MAX = 3;

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe"), null)
    .put("http", new JsonObject().put("max-connections", MAX).put("instances", 2)));

  @Test
  void theConnectionBeyondTheBoundIsRefusedWithTheErrorBodyAndAFreedSlotIsUsableAgain() {
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < MAX; i++) {
        RawHttp c = RawHttp.connect(ENGINE.engine().port());
        held.add(c);
        // a served request proves the connection is counted before the next one opens
        assertThat(c.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
      }
      try (RawHttp extra = RawHttp.connect(ENGINE.engine().port())) {
        RawHttp.Response r = extra.read();
        r.assertApiError(503, "TOO_MANY_CONNECTIONS");
        assertThat(r.header("retry-after")).isNotNull();
        extra.assertClosed();
      }
      held.remove(0).close();
      Await.until("a freed connection slot is usable", () -> {
        try (RawHttp again = RawHttp.connect(ENGINE.engine().port())) {
          return again.trySend("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes())
            && again.read().status() == 200;
        } catch (RuntimeException | AssertionError e) {
          return false;
        }
      });
    } finally {
      held.forEach(RawHttp::close);
    }
  }
}
