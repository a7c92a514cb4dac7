package io.eco2.tests.load;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The Eco² load generator: closed-loop virtual users against a running engine, k6-style (ramp up, hold,
 * ramp down), reporting completion, latency percentiles, throughput and SSE stream integrity.
 *
 * <p>{@code java -jar tests/target/eco2-loadgen.jar --url http://127.0.0.1:8080 --users 50} — see
 * {@link LoadOptions#USAGE} and docs/BENCHMARKS.md. Everything is asynchronous on a few event loops (no
 * thread per user), and the run ends by itself: at the latest at ramp-up + hold + ramp-down + grace, earlier
 * when the last iteration finished after the ramp-down. Exit status 0 when the run completed (whatever it
 * measured: targets are reported, not asserted), 2 for bad options, 1 when the run itself failed.
 */
public final class LoadGenerator {

  /** The Eco² pipeline's stages, whose completed frames make a job "completed". */
  public static final List<String> STAGES = List.of("vision", "rule", "answer", "reward");

  private static final long PROGRESS_EVERY_MS = 10_000;

  private LoadGenerator() {
  }

  public static void main(String[] args) {
    LoadOptions options;
    List<String> images;
    try {
      options = LoadOptions.parse(args);
      images = ImageUrls.load(options.imageUrls());
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith("usage:")) {
        // Asked for (--help): the usage on stdout and success, so it can be piped to a pager.
        System.out.println(e.getMessage());
        System.exit(0);
      }
      System.err.println("eco2-loadgen: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      JsonObject summary = run(options, images, true).get(options.hardStop().toMillis() + 120_000, TimeUnit.MILLISECONDS);
      System.out.print(Summary.text(summary));
      System.exit(0);
    } catch (Exception e) {
      System.err.println("eco2-loadgen: the run failed: " + e);
      System.exit(1);
    }
  }

  /** Writes the JSON summary to {@code out} and the text one beside it ({@code .txt}). */
  static void write(String out, JsonObject summary) throws IOException {
    Path json = Path.of(out).toAbsolutePath();
    if (json.getParent() != null) {
      Files.createDirectories(json.getParent());
    }
    Files.writeString(json, summary.encodePrettily() + "\n", StandardCharsets.UTF_8);
    String name = json.getFileName().toString();
    String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    Files.writeString(json.resolveSibling(base + ".txt"), Summary.text(summary), StandardCharsets.UTF_8);
  }

  /**
   * Runs one scenario on a Vert.x instance of its own and completes with the JSON summary, written to
   * {@link LoadOptions#out()} (JSON and text) when set. Callable from tests; {@code progress} prints a line
   * to stderr every 10 s.
   */
  public static CompletableFuture<JsonObject> run(LoadOptions options, List<String> images, boolean progress) {
    // One event loop per core: the users' work is small next to the I/O, and more loops than cores only
    // add context switches on the 2-core benchmark host where the engine needs the CPU as well.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())
      .setBlockedThreadCheckInterval(10_000));
    CompletableFuture<JsonObject> result = new CompletableFuture<>();
    contexts(vertx).onComplete(ar -> {
      if (ar.failed()) {
        result.completeExceptionally(ar.cause());
        return;
      }
      new Runner(vertx, options, images, ar.result(), progress, result).start();
    });
    // The summary completes on an event loop: the files are written on the common pool, not there.
    return result.whenComplete((s, e) -> vertx.close()).thenApplyAsync(summary -> {
      if (options.out() != null) {
        try {
          write(options.out(), summary);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return summary;
    });
  }

  // One context per event loop, from a verticle deployed once per loop: users are spread over them.
  private static Future<Context[]> contexts(Vertx vertx) {
    List<Context> list = new CopyOnWriteArrayList<>();
    int n = Runtime.getRuntime().availableProcessors();
    return vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start() {
        list.add(context);
      }
    }, new DeploymentOptions().setInstances(n)).map(id -> list.toArray(new Context[0]));
  }

  /** Drives one run: schedules the users, reports progress, stops everything, builds the summary. */
  private static final class Runner {
    private final Vertx vertx;
    private final LoadOptions options;
    private final Context[] contexts;
    private final boolean progress;
    private final CompletableFuture<JsonObject> result;
    private final LoadRun run;
    private final Instant startedAt = Instant.now();
    private final List<VirtualUser> users = new ArrayList<>();
    private IdleStreams idle;
    private long lastProgress;

    Runner(Vertx vertx, LoadOptions options, List<String> images, Context[] contexts, boolean progress,
           CompletableFuture<JsonObject> result) {
      this.vertx = vertx;
      this.options = options;
      this.contexts = contexts;
      this.progress = progress;
      this.result = result;
      this.run = new LoadRun(vertx, options, images, STAGES, System.nanoTime());
    }

    void start() {
      if (options.mode() == LoadOptions.Mode.IDLE) {
        idle = new IdleStreams(run, contexts);
        idle.start();
      } else {
        for (int i = 0; i < options.users(); i++) {
          VirtualUser user = new VirtualUser(run, contexts[i % contexts.length], options.stopMillis(i));
          users.add(user);
          vertx.setTimer(Math.max(1, options.startMillis(i)), t -> user.start());
        }
      }
      vertx.setPeriodic(500, this::tick);
    }

    private void tick(long timer) {
      long now = run.elapsedMillis();
      long loadEnd = options.rampUp().plus(options.hold()).plus(options.rampDown()).toMillis();
      if (progress && now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        RunStats s = run.stats();
        System.err.printf("eco2-loadgen: %4ds in flight %d, completed %d, partial %d, failed %d, streams open %d%n",
          now / 1000, run.inFlight(), s.completed(), s.partial(), s.failed(), s.streamsOpen());
      }
      boolean drained = now >= loadEnd && run.inFlight() == 0;
      if (drained || now >= options.hardStop().toMillis()) {
        vertx.cancelTimer(timer);
        stop(now);
      }
    }

    // Interrupts what is still in flight on each user's own context, then freezes the stats (late callbacks
    // are ignored) and closes the client, which cuts every connection still open.
    private void stop(long elapsed) {
      List<Future<Void>> cut = new ArrayList<>();
      for (VirtualUser u : users) {
        Promise<Void> p = Promise.promise();
        u.context().runOnContext(v -> {
          u.interrupt();
          p.complete();
        });
        cut.add(p.future());
      }
      if (idle != null) {
        idle.interrupt();
      }
      Future.join(cut).onComplete(x -> {
        run.freeze();
        JsonObject summary = Summary.build(options, run.stats(), startedAt, elapsed);
        run.close().onComplete(c -> result.complete(summary));
      });
    }
  }
}
