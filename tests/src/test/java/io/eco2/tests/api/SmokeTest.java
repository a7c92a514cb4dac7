package io.eco2.tests.api;

import io.eco2.tests.support.EngineHarness;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class SmokeTest {

  @Test
  void aJobRunsThroughTwoProbeStages(Vertx vertx) {
    try (EngineHarness engine = EngineHarness.start(vertx, EngineHarness.pipeline(List.of("probe", "guarded"), null))) {
      String id = engine.submitOk(new JsonObject().put("image_url", "https://example.com/a.jpg").put("user_input", "fail=1"));
      List<SseFrame> frames = engine.streamToEnd(id);
      System.out.println(frames);
      assertThat(frames.stream().filter(SseFrame::isEvent).map(f -> f.event() + "/" + f.json().getString("status")).collect(Collectors.toList()))
        .containsExactly("queued/completed", "probe/started", "probe/retrying", "probe/completed",
          "guarded/started", "guarded/retrying", "guarded/completed", "done/completed");
      System.out.println(engine.get("/api/v1/scan/" + id + "/result").bodyAsString());
    }
  }
}
