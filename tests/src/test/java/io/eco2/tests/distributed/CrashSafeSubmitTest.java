package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.HistoryCheck;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 "Crash-safe submit": an API that dies at any step of a submit (halted there by the fault hook
 * {@code -Deco2.faults.submit-halt=<step>}, as a {@code kill -9} would) leaves no job that never ends. The
 * client, never answered, replays the request with the same {@code X-Idempotency-Key} on the restarted API
 * and follows the job's stream to {@code done}, with no gap and no duplicate.
 */
class CrashSafeSubmitTest {

  /** Every step of submit the hook can halt at, in order. */
  private static final List<String> STEPS = List.of("claimed", "queued", "published", "confirmed");

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void anApiKilledAtAnyStepOfSubmitLeavesAJobThatEndsDoneWhenTheClientReplays() throws Exception {
    Path conf = env.config("app", new JsonObject()
      .put("api", new JsonObject().put("submit-confirm-timeout-ms", 200))
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0.01))));
    env.start("worker", conf, "worker");
    EngineProcess restarted = null;
    for (String step : STEPS) {
      EngineProcess dying = env.start("api-halts-at-" + step, conf, "api",
        Map.of("JAVA_TOOL_OPTIONS", "-Deco2.faults.submit-halt=" + step));
      String key = UUID.randomUUID().toString();
      HttpResponse<Buffer> lost = Await.result(submit(dying.port(), key, step)
        .otherwise((HttpResponse<Buffer>) null), "submit to the API that halts at " + step);
      assertThat(lost).as("the API halted at %s before it answered", step).isNull();
      assertThat(dying.awaitExit()).as("halted at %s", step).isEqualTo(137);
      if (restarted == null) {
        restarted = env.start("api-restarted", conf, "api");
      }

      HttpResponse<Buffer> replay = Await.result(submit(restarted.port(), key, step), "replay after a halt at " + step);
      assertThat(replay.statusCode()).as("replay after a halt at %s: %s", step, replay.bodyAsString()).isEqualTo(200);
      String job = replay.bodyAsJsonObject().getString("job_id");
      List<SseFrame> frames = env.stream(restarted.port(), job, null).awaitEnd();
      List<HistoryCheck.Step> steps = HistoryCheck.fromFrames(frames);
      System.out.println("CRASH-SAFE-SUBMIT halted-at=" + step + " job=" + job + " events=" + steps.size());
      HistoryCheck.assertWhole("job " + job + " after a halt at " + step, steps, "done");
      assertThat(steps).as("the stream is the job's log").isEqualTo(HistoryCheck.fromStream(env.xrange(job)));

      HttpResponse<Buffer> again = Await.result(submit(restarted.port(), key, step), "second replay after " + step);
      assertThat(again.bodyAsJsonObject().getString("job_id")).as("a later replay names the same job").isEqualTo(job);
    }
  }

  private Future<HttpResponse<Buffer>> submit(int port, String key, String step) {
    return env.web().post(port, "127.0.0.1", "/api/v1/scan")
      .putHeader("Content-Type", "application/json").putHeader("X-Idempotency-Key", key)
      .sendJsonObject(new JsonObject().put("image_url", "https://example.com/photos/halt-at-" + step + ".jpg"));
  }
}
