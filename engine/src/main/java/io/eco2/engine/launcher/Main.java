package io.eco2.engine.launcher;

import io.eco2.engine.Engine;
import io.eco2.engine.EngineVersion;
import io.eco2.engine.config.ConfigException;
import io.eco2.engine.config.ConfigLoader;
import io.eco2.engine.config.EngineOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.eco2.engine.logging.SharedGaugeWarnings;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar eco2-pipeline.jar [--config PATH] [--role all|api|worker] [--version]}.
 *
 * <p>{@code --version} prints {@link EngineVersion#describe()} and exits 0 without starting anything.
 *
 * <p>Starts one engine, logs one line with its URL, and on SIGTERM or SIGINT drains it (see
 * {@link Shutdown}), then exits. A configuration error prints one line naming the
 * key and exits with status 2. This is a command-line entry point: it blocks its own thread (never an event
 * loop) while waiting for start-up and shutdown.
 */
public final class Main {

  static {
    // Both before anything touches java.util.logging: one line per record, and logging that survives
    // until the drain on SIGTERM has said how it ended.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
    }
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$-7s %3$s - %5$s%6$s%n");
    }
  }

  private static final System.Logger LOG = System.getLogger(Main.class.getName());

  private Main() {
  }

  public static void main(String[] args) {
    long begin = System.nanoTime();
    CommandLine cli;
    try {
      cli = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("eco2-pipeline: " + e.getMessage());
      System.err.println(CommandLine.USAGE);
      System.exit(2);
      return;
    }
    if (cli.help()) {
      System.out.println(CommandLine.USAGE);
      return;
    }
    if (cli.version()) {
      System.out.println(EngineVersion.describe());
      return;
    }
    SharedGaugeWarnings.install();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
      // JVM meters (jvm_*, process_*) beside Vert.x's own: memory and GC matter when sizing worker pods.
      // Event-bus meters are off: the bus only carries the engine's own credit-based dispatch (covered by the
      // pipeline_* meters), they would cost a meter update per hand-off, and vertx-micrometer-metrics 5.0.x
      // re-registers their gauge per consumer (a start-up warning, vert-x3/vertx-micrometer-metrics#259).
      // Net-client meters are off for the same reason: each NetClient (the Redis pool, the live-event
      // connection) registers the same untagged vertx_net_client_active_connections gauge, so in distributed
      // mode every start printed "This Gauge has been already registered" and the gauge showed one client only.
      // HTTP client and server and Redis client meters stay; they register one gauge per server instance or
      // pooled connection, backed by one shared counter, and the warning Micrometer prints for that is
      // dropped (SharedGaugeWarnings).
      .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.EVENT_BUS)
        .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.NET_CLIENT)))
      .withMetrics(new MicrometerMetricsFactory(registry))
      .build();
    ConfigLoader loader = ConfigLoader.create().setConfigPath(cli.configPath());
    if (cli.role() != null) {
      loader.setOverride("role", cli.role());
    }
    Engine engine;
    EngineOptions config;
    try {
      config = loader.loadOptions(vertx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      // Before the engine starts, so that its own start-up lines already have the configured format.
      config.getLog().apply();
      engine = Engine.start(vertx, config, registry).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null && !(e instanceof ConfigException) ? e.getCause() : e;
      System.err.println("eco2-pipeline: " + cause.getMessage());
      vertx.close();
      System.exit(2);
      return;
    }
    Duration drain = config.getPipeline().drain();
    new Shutdown(vertx, engine, drain).install();
    String host = config.getHttp().getHost();
    LOG.log(System.Logger.Level.INFO, String.format("Eco² Pipeline ready on http://%s:%d (version %s, mode %s, role %s, stages %s) in %d ms",
      "0.0.0.0".equals(host) ? "localhost" : host, engine.port(), EngineVersion.current(), config.getMode(), engine.role(),
      engine.plan().names(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)));
  }
}
