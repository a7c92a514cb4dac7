package io.eco2.tests.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The image URLs virtual users submit, one picked at random per iteration. The built-in list mixes the
 * simulated provider's interesting cases (a PET bottle and a can that usually earn a reward, a brick with no
 * disposal rule, hence no answer LLM call) with arbitrary names (deterministic picks from the taxonomy).
 */
public final class ImageUrls {

  /** Largest list accepted from a file. */
  static final int MAX_URLS = 100_000;

  public static final List<String> BUILTIN = List.of(
    "https://example.com/photos/pet-bottle.jpg",
    "https://example.com/can.jpg",
    "https://example.com/brick.jpg",
    "https://example.com/photos/glass-bottle.jpg",
    "https://example.com/photos/newspaper.jpg",
    "https://example.com/photos/styrofoam-box.jpg",
    "https://example.com/photos/battery.jpg",
    "https://example.com/photos/milk-carton.jpg",
    "https://example.com/photos/plastic-bag.jpg",
    "https://example.com/photos/food-waste.jpg");

  private ImageUrls() {
  }

  /** {@code builtin}, or a file with one URL per line ({@code #} comments and blank lines skipped). */
  public static List<String> load(String source) {
    if (source == null || source.equals("builtin")) {
      return BUILTIN;
    }
    List<String> urls;
    try {
      urls = Files.readAllLines(Path.of(source), StandardCharsets.UTF_8).stream().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).limit(MAX_URLS + 1L).collect(Collectors.toList());
    } catch (IOException e) {
      throw new IllegalArgumentException("--image-urls: cannot read " + source + ": " + e.getMessage());
    }
    if (urls.isEmpty() || urls.size() > MAX_URLS) {
      throw new IllegalArgumentException("--image-urls: " + source + " must hold 1 to " + MAX_URLS + " URLs");
    }
    for (String u : urls) {
      if (!u.startsWith("http://") && !u.startsWith("https://")) {
        throw new IllegalArgumentException("--image-urls: not an http(s) URL: " + u);
      }
    }
    return List.copyOf(urls);
  }
}
