package io.eco2.tests.e2e;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EngineProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The fat jar says which version it is: {@code --version}, the ready line and {@code /health/live}. */
@ExtendWith(VertxExtension.class)
class JarVersionTest {

  // Set by the tests module's pom from ${project.version}: the version the build stamped, read independently
  // of the engine's own lookup.
  private static final String POM_VERSION = System.getProperty("eco2.pom.version");

  @Test
  void dashDashVersionPrintsThePomVersionAndExitsZero() throws Exception {
    assertThat(POM_VERSION).as("eco2.pom.version system property").isNotBlank();
    try (EngineProcess jar = EngineProcess.run("jar", "--version")) {
      assertThat(jar.awaitExit(60)).as(jar.output()).isZero();
      assertThat(jar.lines()).containsExactly("eco2-pipeline " + POM_VERSION + " (SPI 1.0)");
    }
  }

  @Test
  void theReadyLineAndLivenessNameTheVersion(Vertx vertx, @TempDir Path dir) throws Exception {
    try (EngineProcess jar = EngineProcess.withConfig("jar", dir, "http:\n  port: 0\n")) {
      int port = jar.awaitReady();
      assertThat(jar.output()).contains("(version " + POM_VERSION + ",");
      JsonObject live = Await.result(WebClient.create(vertx).get(port, "127.0.0.1", "/health/live").send()).bodyAsJsonObject();
      assertThat(live.getString("version")).isEqualTo(POM_VERSION);
    }
  }
}
