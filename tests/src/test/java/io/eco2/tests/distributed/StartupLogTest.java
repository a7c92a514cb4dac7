package io.eco2.tests.distributed;

import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator reads when a distributed API and worker start: no warning that is not theirs to act on.
 * vertx-micrometer-metrics registers a gauge per HTTP server instance and per pooled Redis connection (one
 * shared counter behind them), and Micrometer warned "This Gauge has been already registered" at each
 * process's first connections: the processes here are started, then connected to a few times.
 */
class StartupLogTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void aDistributedApiAndWorkerStartWithoutMicrometerReRegistrationWarnings() throws Exception {
    Path conf = env.config("app", new JsonObject().put("log", new JsonObject().put("format", "json")));
    EngineProcess api = env.start("api", conf, "api");
    EngineProcess worker = env.start("worker", conf, "worker");
    for (EngineProcess p : java.util.List.of(api, worker)) {
      // New connections each, so that every HTTP server instance of the port takes some.
      for (int i = 0; i < 6; i++) {
        try (io.eco2.tests.support.RawHttp c = io.eco2.tests.support.RawHttp.connect(p.port())) {
          c.send("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readUntilClosed();
        }
      }
    }

    assertThat(env.get(api.port(), "/metrics").bodyAsString()).as("the HTTP server gauge is still there")
      .contains("vertx_http_server_active_connections");
    assertThat(api.output()).as("the API's start-up log").doesNotContain("already registered");
    assertThat(worker.output()).as("the worker's start-up log").doesNotContain("already registered");
  }
}
