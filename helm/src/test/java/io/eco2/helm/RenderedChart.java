package io.eco2.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The chart rendered by Helm's own engine ({@code helm template}, through helm-java's native library) with one
 * values file and {@code --set} pairs, as the list of objects Helm would send to the API server.
 */
final class RenderedChart {

  /** The chart, relative to this module (the tests' working directory). */
  static final Path CHART = Path.of("eco2-pipeline");
  /**
   * Helm's annotation that makes the test Pod a hook. helm-java's {@code template} leaves hooks out (helm's
   * {@code --hooks} is not exposed), so the chart is rendered from a copy under {@code target/} in which this
   * annotation of the files under {@code templates/tests/} is renamed to {@link #RENDERED_HOOK}: the same
   * template through the same engine, and the tests still see which objects are hooks.
   */
  static final String HOOK = "helm.sh/hook:";
  static final String RENDERED_HOOK = "eco2.io/rendered-hook:";
  private static final Path RENDERED_COPY = copyWithHooksRendered();
  /** The values files every test renders: one per deployment shape. */
  static final Path CI = CHART.resolve("ci");
  static final String RELEASE = "eco2";
  static final String NAMESPACE = "eco2";
  /** The Kubernetes version rendered for (helm template otherwise assumes 1.20, older than the chart allows). */
  static final String KUBE_VERSION = "v1.31.0";

  private final List<Map<String, Object>> objects;
  private final String manifest;

  private RenderedChart(String manifest, List<Map<String, Object>> objects) {
    this.manifest = manifest;
    this.objects = objects;
  }

  /** Renders with {@code ci/<valuesFile>} (or the defaults when null) and the given {@code --set} values. */
  static RenderedChart render(String valuesFile, Map<String, Object> sets) {
    return renderFile(valuesFile == null ? null : CI.resolve(valuesFile), sets);
  }

  /** Renders with any values file (or none) and the given {@code --set} values. */
  static RenderedChart renderFile(Path valuesFile, Map<String, Object> sets) {
    TemplateCommand template = new Helm(RENDERED_COPY).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
    if (valuesFile != null) {
      template.withValuesFile(valuesFile);
    }
    sets.forEach(template::set);
    return parse(template.call());
  }

  static RenderedChart render(String valuesFile) {
    return render(valuesFile, Map.of());
  }

  private static Path copyWithHooksRendered() {
    Path target = Path.of("target", "chart-under-test", CHART.getFileName().toString());
    try {
      if (java.nio.file.Files.exists(target)) {
        try (Stream<Path> old = java.nio.file.Files.walk(target)) {
          old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      try (Stream<Path> files = java.nio.file.Files.walk(CHART)) {
        for (Path source : files.toList()) {
          Path copy = target.resolve(CHART.relativize(source).toString());
          if (java.nio.file.Files.isDirectory(source)) {
            java.nio.file.Files.createDirectories(copy);
          } else if (source.startsWith(CHART.resolve("templates").resolve("tests"))) {
            java.nio.file.Files.writeString(copy, java.nio.file.Files.readString(source).replace(HOOK, RENDERED_HOOK));
          } else {
            java.nio.file.Files.copy(source, copy);
          }
        }
      }
      return target;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The values files under {@code ci/}, by file name. */
  static Stream<String> ciValuesFiles() {
    try (Stream<Path> files = java.nio.file.Files.list(CI)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static RenderedChart parse(String manifest) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object doc : new Yaml(options).loadAll(manifest)) {
      if (doc != null) {
        objects.add((Map<String, Object>) doc);
      }
    }
    return new RenderedChart(manifest, objects);
  }

  String manifest() {
    return manifest;
  }

  List<Map<String, Object>> objects() {
    return objects;
  }

  /** Every object of that kind. */
  List<Map<String, Object>> all(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  Optional<Map<String, Object>> find(String kind, String name) {
    return all(kind).stream().filter(o -> name.equals(name(o))).findFirst();
  }

  Map<String, Object> get(String kind, String name) {
    return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered; objects: " + names()));
  }

  /** The object bound to its Kubernetes API type (strictly). */
  <T> T bound(Class<T> type, String kind, String name) {
    return type.cast(StrictBinding.bind(get(kind, name)));
  }

  List<String> names() {
    return objects.stream().map(o -> o.get("kind") + "/" + name(o)).toList();
  }

  static String name(Map<String, Object> object) {
    return String.valueOf(((Map<?, ?>) object.get("metadata")).get("name"));
  }

  /** The {@code --set} map for a values path and value. */
  static Map<String, Object> set(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }
}
