package io.eco2.tests.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code GET /metrics} (Prometheus text format), parsed: the {@code # TYPE} of each metric
 * family and every sample with its labels and value.
 */
public final class PromScrape {

  /** One sample line: {@code name{label="value",...} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final String text;
  private final Map<String, String> types = new LinkedHashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  private PromScrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring("# TYPE ".length()).trim().split("\\s+");
        if (parts.length == 2) {
          types.put(parts[0], parts[1]);
        }
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      samples.add(parseSample(line));
    }
  }

  /** Scrapes the harness's engine. */
  public static PromScrape of(EmbeddedEngine engine) {
    var response = engine.get("/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return parse(response.bodyAsString());
  }

  public static PromScrape parse(String text) {
    return new PromScrape(text);
  }

  private static Sample parseSample(String line) {
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    String rest;
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      int close = line.lastIndexOf('}');
      Matcher m = LABEL.matcher(line.substring(brace + 1, close));
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
      rest = line.substring(close + 1).trim();
    } else {
      name = line.substring(0, space);
      rest = line.substring(space + 1).trim();
    }
    String value = rest.split("\\s+")[0];
    double v = switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
    return new Sample(name, labels, v);
  }

  /** The raw text, for failure messages. */
  public String text() {
    return text;
  }

  /** The {@code # TYPE} of a family ({@code counter}, {@code gauge}, {@code histogram}...), or null. */
  public String type(String family) {
    return types.get(family);
  }

  public Map<String, String> types() {
    return types;
  }

  /** Samples named exactly {@code name} whose labels include every given label. */
  public List<Sample> samples(String name, Map<String, String> labels) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
        out.add(s);
      }
    }
    return out;
  }

  public List<Sample> samples(String name) {
    return samples(name, Map.of());
  }

  /** The value of the one sample named {@code name} with exactly these labels (ignoring none), if any. */
  public Optional<Double> value(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
      .map(Sample::value).findFirst();
  }

  /** Like {@link #value} but 0 when the sample is absent (a counter not yet incremented). */
  public double valueOrZero(String name, Map<String, String> labels) {
    return value(name, labels).orElse(0.0);
  }
}
