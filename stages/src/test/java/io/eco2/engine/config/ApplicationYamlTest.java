package io.eco2.engine.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample configuration shipped in the repository stays loadable and explains every key. */
@ExtendWith(VertxExtension.class)
class ApplicationYamlTest {

  /** Surefire runs in the stages module; the file lives at the project root. */
  private static Path applicationYaml() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(ConfigLoader.DEFAULT_CONFIG_PATH);
      if (Files.isRegularFile(candidate) && Files.isRegularFile(dir.resolve("engine/pom.xml"))) {
        return candidate;
      }
    }
    throw new AssertionError("conf/application.yaml not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void repositoryApplicationYamlLoadsCleanly(Vertx vertx) throws Exception {
    JsonObject config = ConfigLoader.create()
      .setConfigPath(applicationYaml().toString())
      .setEnvironment(Map.of())
      .load(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(config.getJsonObject("http").getInteger("port")).isEqualTo(8080);
  }

  @Test
  void repositoryApplicationYamlCommentsEveryDefaultKey() throws IOException {
    Set<String> commented = commentedKeys(Files.readAllLines(applicationYaml()));

    assertThat(DefaultsYaml.leafPaths()).allSatisfy(key -> assertThat(commented).as("comment on " + key).contains(key));
  }

  /**
   * Keys of a block-style YAML file that have a comment on their own line or on the line(s) right above.
   * Enough YAML for our file: one key per line, indentation for nesting, flow style only in values.
   */
  private static Set<String> commentedKeys(List<String> lines) {
    Set<String> commented = new HashSet<>();
    Deque<Map.Entry<Integer, String>> parents = new ArrayDeque<>();
    boolean commentAbove = false;
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        commentAbove = false;
        continue;
      }
      if (trimmed.startsWith("#")) {
        commentAbove = true;
        continue;
      }
      int indent = line.indexOf(trimmed);
      String key = trimmed.substring(0, trimmed.indexOf(':'));
      while (!parents.isEmpty() && parents.peek().getKey() >= indent) {
        parents.pop();
      }
      StringBuilder path = new StringBuilder();
      parents.descendingIterator().forEachRemaining(p -> path.append(p.getValue()).append('.'));
      path.append(key);
      parents.push(Map.entry(indent, key));
      if (commentAbove || trimmed.substring(key.length()).contains(" #")) {
        commented.add(path.toString());
      }
      commentAbove = false;
    }
    return commented;
  }
}
