package io.eco2.engine.config;

import io.eco2.testkit.Await;
import io.eco2.testkit.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's own defaults are neutral; a jar on the class path adds a product's as a defaults layer
 * ({@link ConfigLoader#DEFAULTS_RESOURCE}) between the engine's constants and the user's file.
 */
@ExtendWith(VertxExtension.class)
class DefaultsLayersTest {

  @TempDir
  Path dir;

  private ConfigLoader loader(ClassLoader classLoader) {
    return ConfigLoader.create().setWorkingDirectory(dir).setEnvironment(Map.of()).setClassLoader(classLoader);
  }

  /** A classes directory holding a defaults layer with {@code yaml}. */
  private Path layerDirectory(String name, String yaml) throws IOException {
    Path layer = dir.resolve(name).resolve(ConfigLoader.DEFAULTS_RESOURCE);
    Files.createDirectories(layer.getParent());
    Files.writeString(layer, yaml);
    return dir.resolve(name);
  }

  /** A jar holding a defaults layer with {@code yaml}. */
  private Path layerJar(String name, String yaml) throws IOException {
    Path jar = dir.resolve(name);
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry(ConfigLoader.DEFAULTS_RESOURCE));
      out.write(yaml.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  private static URLClassLoader classPath(Path... entries) throws IOException {
    URL[] urls = new URL[entries.length];
    for (int i = 0; i < entries.length; i++) {
      urls[i] = entries[i].toUri().toURL();
    }
    return new URLClassLoader(urls, null);
  }

  private static String failure(ConfigLoader loader, Vertx vertx) {
    Throwable e = Await.failure(loader.load(vertx));
    assertThat(e).isInstanceOf(ConfigException.class);
    assertThat(e.getMessage()).doesNotContain("\n");
    return e.getMessage();
  }

  @Test
  void theEngineAloneDefaultsToNoStagesNoModelsAndNoQuestion(Vertx vertx) {
    JsonObject config = Await.result(ConfigLoader.create().setWorkingDirectory(dir).setEnvironment(Map.of()).load(vertx));

    assertThat(config.getJsonObject("pipeline").getJsonArray("stages")).isEmpty();
    assertThat(config.getJsonObject("stages")).isEmpty();
    assertThat(config.getJsonObject("llm").getJsonArray("models")).isEmpty();
    assertThat(config.getJsonObject("llm").getString("default-model")).isEmpty();
    assertThat(config.getJsonObject("api").getString("default-user-input")).isEmpty();
    assertThat(config.getJsonObject("scaling").getJsonArray("llm-stages")).isEmpty();
  }

  @Test
  void aLayerSetsDefaultsThatTheFileOverrides(Vertx vertx) throws IOException {
    Path layer = layerDirectory("product", "pipeline: {stages: [scan, score]}\nhttp: {port: 9100, host: 127.0.0.1}\n"
      + "stages: {scan: {concurrency: 7}}\n");
    Files.writeString(dir.resolve("app.yaml"), "http: {port: 9200}\n");

    try (URLClassLoader classLoader = classPath(layer)) {
      JsonObject config = Await.result(loader(classLoader).setConfigPath("app.yaml").load(vertx));

      assertThat(config.getJsonObject("pipeline").getJsonArray("stages")).containsExactly("scan", "score");
      assertThat(config.getJsonObject("http").getInteger("port")).isEqualTo(9200);
      assertThat(config.getJsonObject("http").getString("host")).isEqualTo("127.0.0.1");
      assertThat(config.getJsonObject("stages").getJsonObject("scan").getInteger("concurrency")).isEqualTo(7);
    }
  }

  @Test
  void theEnvironmentOverridesAStageKeyOfAStageOnlyALayerNames(Vertx vertx) throws IOException {
    Path layer = layerDirectory("product", "pipeline: {stages: [scan]}\nstages: {scan: {concurrency: 7}}\n");

    try (URLClassLoader classLoader = classPath(layer)) {
      JsonObject config = Await.result(loader(classLoader)
        .setEnvironment(Map.of("ECO2_STAGES_SCAN_CONCURRENCY", "9")).load(vertx));

      assertThat(config.getJsonObject("stages").getJsonObject("scan").getValue("concurrency")).isEqualTo(9);
    }
  }

  @Test
  void aBadValueInALayerNamesTheLayer(Vertx vertx) throws IOException {
    Path layer = layerDirectory("product", "http: {port: abc}\n");

    try (URLClassLoader classLoader = classPath(layer)) {
      assertThat(failure(loader(classLoader), vertx)).isEqualTo("http.port: must be an integer between 0 and 65535, got \"abc\" (in "
        + layer.resolve(ConfigLoader.DEFAULTS_RESOURCE) + ")");
    }
  }

  @Test
  void anUnknownKeyInALayerFailsNamingTheLayer(Vertx vertx) throws IOException {
    Path jar = layerJar("product.jar", "http: {prot: 8080}\n");

    try (URLClassLoader classLoader = classPath(jar)) {
      assertThat(failure(loader(classLoader), vertx))
        .isEqualTo("unknown key 'http.prot' in product.jar!/" + ConfigLoader.DEFAULTS_RESOURCE);
    }
  }

  @Test
  void twoLayersThatDisagreeOnAKeyFailNamingBoth(Vertx vertx) throws IOException {
    Path one = layerJar("one.jar", "pipeline: {stages: [a]}\n");
    Path two = layerJar("two.jar", "pipeline: {stages: [b]}\n");

    try (URLClassLoader classLoader = classPath(one, two)) {
      assertThat(failure(loader(classLoader), vertx))
        .startsWith("pipeline.stages: set to [\"a\"] in one.jar!/" + ConfigLoader.DEFAULTS_RESOURCE
          + " and to [\"b\"] in two.jar!/" + ConfigLoader.DEFAULTS_RESOURCE)
        .contains("set pipeline.stages in the configuration file");
    }
  }

  @Test
  void layersThatSetDifferentKeysOrTheSameValueAddUp(Vertx vertx) throws IOException {
    Path one = layerJar("one.jar", "pipeline: {stages: [a]}\nhttp: {port: 9100}\n");
    Path two = layerJar("two.jar", "http: {port: 9100}\nstages: {a: {retries: 1}}\n");

    try (URLClassLoader classLoader = classPath(one, two)) {
      JsonObject config = Await.result(loader(classLoader).load(vertx));

      assertThat(config.getJsonObject("http").getInteger("port")).isEqualTo(9100);
      assertThat(config.getJsonObject("stages").getJsonObject("a").getInteger("retries")).isEqualTo(1);
    }
  }

  @Test
  void theConfigurationLineNamesEachLayerAndItsJar(Vertx vertx) throws IOException {
    Path jar = layerJar("product.jar", "pipeline: {stages: [a]}\n");

    try (URLClassLoader classLoader = classPath(jar); LogCapture log = LogCapture.everything()) {
      Await.result(loader(classLoader).load(vertx));

      assertThat(log.lines()).anySatisfy(line -> assertThat(line)
        .contains("Configuration loaded from built-in defaults, defaults layer product.jar!/" + ConfigLoader.DEFAULTS_RESOURCE));
    }
  }
}
