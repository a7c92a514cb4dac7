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
 * Micrometer's "This Gauge has been already registered" came from two Redis clients (the command pool and
 * the live-event connection) registering the same untagged {@code vertx_redis_*} gauges.
 */
class StartupLogTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void aDistributedApiAndWorkerStartWithoutMicrometerReRegistrationWarnings() throws Exception {
    Path conf = env.config("app", new JsonObject().put("log", new JsonObject().put("format", "json")));
    EngineProcess api = env.start("api", conf, "api");
    EngineProcess worker = env.start("worker", conf, "worker");

    assertThat(api.output()).as("the API's start-up log").doesNotContain("already registered");
    assertThat(worker.output()).as("the worker's start-up log").doesNotContain("already registered");
  }
}
