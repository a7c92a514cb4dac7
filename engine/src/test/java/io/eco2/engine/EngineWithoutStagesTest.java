package io.eco2.engine;

import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.plugin.Components;
import io.eco2.testkit.Await;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine ships no pipeline of its own: started with none named, it says in one line which key to set. */
@ExtendWith(VertxExtension.class)
class EngineWithoutStagesTest {

  @Test
  void anEngineWithNoStagesStopsAtStartUpNamingPipelineStages(Vertx vertx) {
    Throwable failure = Await.failure(Engine.start(vertx, new EngineOptions(),
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new Components().setDiscoverClassPath(false)));

    assertThat(failure).isInstanceOf(IllegalArgumentException.class);
    assertThat(failure.getMessage()).doesNotContain("\n")
      .startsWith("pipeline.stages: no stages configured; set pipeline.stages");
  }
}
