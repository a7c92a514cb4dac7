package io.eco2.tests.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load generator's command line, parsed and validated. Every option has a default so that
 * {@code --users 50} alone is a complete run; a bad value fails with one line naming the option.
 *
 * @param url         base URL of the engine's API (scheme, host, port)
 * @param users       virtual users at the peak (stream/poll) or streams held open (idle)
 * @param rampUp      time over which users are started, linearly
 * @param hold        time all users stay active
 * @param rampDown    time over which users stop, linearly (each finishes its iteration first)
 * @param grace       how long after ramp-down in-flight iterations may still finish before the run is cut
 * @param mode        what each user does
 * @param thinkMin    shortest pause between iterations
 * @param thinkMax    longest pause between iterations
 * @param pollInterval poll mode: interval between result fetches (the original k6 script's 2.5 s)
 * @param iterationTimeout an iteration not finished after this long counts as failed ({@code timeout})
 * @param trickleRate idle mode: jobs submitted per second for the held streams to watch
 * @param spreadWatchers idle mode: each held stream watches a random one of the recent jobs (so a job has
 *                    N / jobs-in-flight watchers) instead of all following the newest job (the worst case
 *                    for the fan-out: every event goes to nearly all N streams at once)
 * @param out         where the JSON summary goes (the text summary goes next to it, {@code .txt}); null: stdout only
 * @param imageUrls   {@code builtin} or a file with one image URL per line
 * @param label       free text copied into the summary (scenario name)
 */
public record LoadOptions(URI url, int users, Duration rampUp, Duration hold, Duration rampDown, Duration grace,
                          Mode mode, Duration thinkMin, Duration thinkMax, Duration pollInterval,
                          Duration iterationTimeout, double trickleRate, boolean spreadWatchers, String out,
                          String imageUrls, String label) {

  /** What a virtual user does. */
  public enum Mode {
    /** submit, follow the SSE stream to its terminal frame, fetch the result, think */
    STREAM,
    /** submit, fetch {@code result_url} every poll interval until it is final, think (the original's k6 script) */
    POLL,
    /** hold a stream open on a running job, re-attaching to another one when it ends; jobs come from a trickle */
    IDLE
  }

  /** Largest user count accepted: each user holds up to two connections and the host has 20,000 descriptors. */
  public static final int MAX_USERS = 50_000;

  public static final String USAGE = String.join("\n",
    "usage: java -jar eco2-loadgen.jar [options]",
    "  --url URL              engine base URL (default http://127.0.0.1:8080)",
    "  --users N              virtual users / idle streams (default 50)",
    "  --ramp-up D            e.g. 30s, 2m, 500ms (default 30s)",
    "  --hold D               (default 60s)",
    "  --ramp-down D          (default 30s)",
    "  --grace D              in-flight iterations may finish this long after ramp-down (default 60s)",
    "  --mode stream|poll|idle  (default stream)",
    "  --think MIN-MAX        pause between iterations, e.g. 1s-2s or 0 (default 1s-2s)",
    "  --poll-interval D      poll mode (default 2500ms)",
    "  --iteration-timeout D  (default 120s)",
    "  --trickle R            idle mode: jobs per second to watch (default 1)",
    "  --watch newest|spread  idle mode: all streams follow the newest job (default), or each a random recent one",
    "  --out FILE             JSON summary (text summary beside it as .txt)",
    "  --image-urls builtin|FILE  one URL per line (default builtin)",
    "  --label TEXT           scenario name copied into the summary");

  /** Parses {@code args}; throws {@link IllegalArgumentException} with a one-line message on a bad value. */
  public static LoadOptions parse(String... args) {
    URI url = URI.create("http://127.0.0.1:8080");
    int users = 50;
    Duration rampUp = Duration.ofSeconds(30);
    Duration hold = Duration.ofSeconds(60);
    Duration rampDown = Duration.ofSeconds(30);
    Duration grace = Duration.ofSeconds(60);
    Mode mode = Mode.STREAM;
    Duration thinkMin = Duration.ofSeconds(1);
    Duration thinkMax = Duration.ofSeconds(2);
    Duration poll = Duration.ofMillis(2500);
    Duration iterationTimeout = Duration.ofSeconds(120);
    double trickle = 1;
    boolean spread = false;
    String out = null;
    String images = "builtin";
    String label = "";
    List<String> list = new ArrayList<>(List.of(args));
    for (int i = 0; i < list.size(); i++) {
      String opt = list.get(i);
      String value;
      int eq = opt.indexOf('=');
      if (opt.startsWith("--") && eq > 0) {
        value = opt.substring(eq + 1);
        opt = opt.substring(0, eq);
      } else {
        if (opt.equals("--help") || opt.equals("-h")) {
          throw new IllegalArgumentException(USAGE);
        }
        if (i + 1 >= list.size()) {
          throw new IllegalArgumentException(opt + ": needs a value");
        }
        value = list.get(++i);
      }
      switch (opt) {
        case "--url" -> url = parseUrl(value);
        case "--users" -> users = parseInt(opt, value, 1, MAX_USERS);
        case "--ramp-up" -> rampUp = duration(opt, value);
        case "--hold" -> hold = duration(opt, value);
        case "--ramp-down" -> rampDown = duration(opt, value);
        case "--grace" -> grace = duration(opt, value);
        case "--mode" -> mode = parseMode(value);
        case "--think" -> {
          Duration[] range = range(opt, value);
          thinkMin = range[0];
          thinkMax = range[1];
        }
        case "--poll-interval" -> poll = positive(opt, duration(opt, value));
        case "--iteration-timeout" -> iterationTimeout = positive(opt, duration(opt, value));
        case "--trickle" -> trickle = parseRate(opt, value);
        case "--watch" -> {
          if (!value.equals("newest") && !value.equals("spread")) {
            throw new IllegalArgumentException(opt + ": must be newest or spread, got '" + value + "'");
          }
          spread = value.equals("spread");
        }
        case "--out" -> out = value;
        case "--image-urls" -> images = value;
        case "--label" -> label = value;
        default -> throw new IllegalArgumentException(opt + ": unknown option (--help lists them)");
      }
    }
    return new LoadOptions(url, users, rampUp, hold, rampDown, grace, mode, thinkMin, thinkMax, poll,
      iterationTimeout, trickle, spread, out, images, label);
  }

  /** The instant (from the run's start) after which nothing is in flight any more: the hard stop. */
  public Duration hardStop() {
    return rampUp.plus(hold).plus(rampDown).plus(grace);
  }

  /** When user {@code index} (0-based) starts: evenly spread over the ramp-up, like k6's ramping-vus. */
  public long startMillis(int index) {
    return rampUp.toMillis() * index / users;
  }

  /**
   * When user {@code index} stops starting iterations: the last users started stop first, so the active
   * count falls linearly to zero over the ramp-down (k6 removes the highest-numbered VUs first).
   */
  public long stopMillis(int index) {
    long rampDownStart = rampUp.toMillis() + hold.toMillis();
    return rampDownStart + rampDown.toMillis() * (users - 1 - index) / users;
  }

  /** Parses {@code 1500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or a bare number of seconds. */
  public static Duration duration(String opt, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return nonNegative(opt, Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))));
      }
      long unit = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
        case 's' -> 1_000;
        case 'm' -> 60_000;
        case 'h' -> 3_600_000;
        default -> 0;
      };
      String number = unit == 0 ? v : v.substring(0, v.length() - 1);
      double amount = Double.parseDouble(number);
      if (Double.isNaN(amount) || Double.isInfinite(amount) || amount > 1e7) {
        throw new NumberFormatException();
      }
      return nonNegative(opt, Duration.ofMillis(Math.round(amount * (unit == 0 ? 1_000 : unit))));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + ": not a duration (like 30s, 2m, 500ms): \"" + value + "\"");
    }
  }

  private static Duration[] range(String opt, String value) {
    // "1s-2s" or "1-2" or a single value; a leading number cannot be negative, so '-' only separates.
    int dash = value.indexOf('-');
    Duration min = duration(opt, dash < 0 ? value : value.substring(0, dash));
    Duration max = dash < 0 ? min : duration(opt, value.substring(dash + 1));
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException(opt + ": the upper bound is below the lower bound: \"" + value + "\"");
    }
    return new Duration[] {min, max};
  }

  private static Duration nonNegative(String opt, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(opt + ": must not be negative");
    }
    return d;
  }

  private static Duration positive(String opt, Duration d) {
    if (d.isZero()) {
      throw new IllegalArgumentException(opt + ": must be positive");
    }
    return d;
  }

  private static int parseInt(String opt, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + ": must be an integer between " + min + " and " + max + ", got \"" + value + "\"");
    }
  }

  private static double parseRate(String opt, String value) {
    try {
      double r = Double.parseDouble(value.trim());
      if (!(r > 0 && r <= 1000)) {
        throw new NumberFormatException();
      }
      return r;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + ": must be a number of jobs per second in (0, 1000], got \"" + value + "\"");
    }
  }

  private static Mode parseMode(String value) {
    try {
      return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--mode: must be stream, poll or idle, got \"" + value + "\"");
    }
  }

  private static URI parseUrl(String value) {
    try {
      URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url: must be an http://host[:port] URL, got \"" + value + "\"");
    }
  }

  /** The port of {@link #url()}, 80 when it names none. */
  public int port() {
    return url.getPort() < 0 ? 80 : url.getPort();
  }
}
