package io.eco2.tests.ui;

import io.eco2.tests.support.Browser;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT §2 resume, seen from a browser: the API process is killed in the middle of a job and started
 * again on the same port; the page's own EventSource reconnects with {@code Last-Event-ID}, shows the
 * reconnecting indicator meanwhile, and the job finishes on the page with no stage shown twice.
 */
class DemoPageResumeTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void thePagesEventSourceResumesAcrossAnApiRestartWithNoStageShownTwice() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    try (Browser browser = Browser.start()) {
      // vision is quick and answer slow, so the restart falls in the middle of the job
      Path conf = env.config("app", new JsonObject()
        .put("sse", new JsonObject().put("retry-ms", 500))
        .put("llm", new JsonObject().put("simulated", new JsonObject()
          .put("vision-mean-ms", 200).put("vision-p99-ms", 400).put("answer-mean-ms", 9000).put("answer-p99-ms", 10000))));
      Path apiConf = env.config("api", new JsonObject(java.nio.file.Files.readString(conf))
        .put("http", new JsonObject().put("port", port)));
      env.start("worker", conf, "worker");
      EngineProcess api = env.start("api-1", apiConf, "api");

      DemoPage page = new DemoPage(browser).open("http://127.0.0.1:" + port + "/");
      page.submitSample("can");
      page.awaitStage("rule", "completed");
      assertThat(page.resultStatus()).as("mid-job").isNull();

      api.kill9();
      browser.await("the reconnecting indicator", d -> "reconnecting".equals(page.connection()));
      env.start("api-2", apiConf, "api");

      page.awaitResult();
      assertThat(page.resultStatus()).as(env.logs()).isEqualTo("completed");
      for (String stage : DemoPage.STAGES) {
        assertThat(page.stageStatus(stage)).as(stage).isEqualTo("completed");
      }
      assertThat(page.receivedCounts()).as("events the browser received").allSatisfy((key, n) -> assertThat(n).as(key).isEqualTo(1L));
      assertThat(page.received()).contains("answer:started", "answer:completed", "done:completed");
    }
  }
}
