package io.eco2.engine.scaling;

import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.config.Mode;
import io.eco2.engine.llm.QuotaLoad;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.runtime.PipelinePlan;
import io.eco2.engine.transport.StageConsumer;
import io.eco2.engine.transport.StageTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The scaling part of an engine, wired as the role and mode say (what {@code Engine} starts and stops):
 * <ul>
 *   <li>roles api and all: the {@link Autoscaler} verticle, {@code GET /scaling/v1/desired} and, when
 *       {@code scaling.grpc-port} ≥ 0, the {@link KedaExternalScaler};</li>
 *   <li>distributed mode, roles worker and all: a {@link WorkerReporter} publishing this process's figures;</li>
 *   <li>embedded mode with {@code scaling.elastic-concurrency}: the decisions resize each stage's
 *       concurrency in process.</li>
 * </ul>
 * With {@code scaling.enabled: false} none of it runs.
 */
public final class Scaling {

  private final Vertx vertx;
  private final ScalingOptions options;
  private final List<String> deployments = new ArrayList<>();
  private Autoscaler autoscaler;
  private KedaExternalScaler grpc;

  private Scaling(Vertx vertx, ScalingOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /**
   * @param metrics the stage runtime's meters: the autoscaler's {@link StageLoad}, and where its own meters go
   * @param quota the LLM rate-limit gate's waits ({@link QuotaLoad#NONE} without a rate limit)
   * @param consumers the running consumers of a stage in this process (empty where no workers run)
   */
  public static Future<Scaling> start(Vertx vertx, EngineOptions config, boolean runsApi, boolean runsWorkers,
                                      PipelinePlan plan, StageTransport transport, PipelineMetrics metrics, QuotaLoad quota,
                                      Function<String, List<StageConsumer>> consumers, Redis redisClient) {
    ScalingOptions options = config.getScaling();
    Scaling scaling = new Scaling(vertx, options);
    if (!options.enabled()) {
      return Future.succeededFuture(scaling);
    }
    boolean embedded = config.getMode() == Mode.EMBEDDED;
    Map<String, Integer> perReplica = new LinkedHashMap<>();
    Map<String, Integer> instances = new LinkedHashMap<>();
    Map<String, Integer> configured = new LinkedHashMap<>();
    for (String s : plan.names()) {
      perReplica.put(s, plan.policy(s).instances() * plan.policy(s).concurrency());
      instances.put(s, plan.policy(s).instances());
      configured.put(s, plan.policy(s).concurrency());
    }
    String keyPrefix = config.getRedis().getKeyPrefix();
    Future<Void> chain = Future.succeededFuture();
    if (!embedded && runsWorkers) {
      WorkerReporter reporter = new WorkerReporter(plan, metrics, quota, options, redisClient, keyPrefix);
      chain = chain.compose(v -> vertx.deployVerticle(reporter).onSuccess(scaling.deployments::add).mapEmpty());
    }
    if (runsApi) {
      Map<String, Integer> slots = new LinkedHashMap<>();
      if (runsWorkers) {
        perReplica.forEach(slots::put);
      }
      ScalingMetrics meters = new ScalingMetrics(metrics.registry(), plan.names(), slots);
      SignalSource source = embedded
        ? new LocalSignals(new LocalStageStats(metrics, quota, plan.names(), options.llmStages(), options.window()), transport::depth, plan.names(), perReplica)
        : new RedisWorkerSignals(new WorkerReports(redisClient, keyPrefix, options.workerReportInterval().multipliedBy(30).plusSeconds(10)),
            Math.max(3 * options.workerReportInterval().toMillis(), 3000), transport, metrics, plan.names(), perReplica);
      Elasticity elasticity = embedded && runsWorkers && options.elasticConcurrency()
        ? new Elasticity(consumers, instances, configured, options.minConcurrency(), options.maxConcurrency(), meters) : null;
      Autoscaler a = new Autoscaler(plan.names(), options, source, meters, elasticity);
      chain = chain.compose(v -> vertx.deployVerticle(a).onSuccess(id -> {
        scaling.deployments.add(id);
        scaling.autoscaler = a;
      }).mapEmpty());
      if (options.grpcPort() >= 0) {
        String host = config.getHttp().getHost();
        chain = chain.compose(v -> {
          KedaExternalScaler g = new KedaExternalScaler(vertx, a);
          return g.listen(host, options.grpcPort()).onSuccess(x -> scaling.grpc = g);
        });
      }
    }
    return chain.map(scaling).recover(err -> scaling.close().transform(x -> Future.failedFuture(err)));
  }

  /** Mounts {@code GET /scaling/v1/desired} (CONTRACT §6) when the autoscaler runs here. */
  public void mount(Router router) {
    Autoscaler a = autoscaler;
    if (a == null) {
      return;
    }
    router.get("/scaling/v1/desired").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "application/json; charset=utf-8")
      .putHeader("Cache-Control", "no-store")
      .end(a.view().toJson().encode()));
  }

  /** The autoscaler running here, or null (worker role, or scaling disabled). */
  public Autoscaler autoscaler() {
    return autoscaler;
  }

  /** The KEDA external scaler's port, or -1 when it does not run. */
  public int grpcPort() {
    return grpc == null ? -1 : grpc.port();
  }

  public ScalingOptions options() {
    return options;
  }

  /** Stops the external scaler, the autoscaler and the worker reporter (removing its report). */
  public Future<Void> close() {
    Future<Void> f = grpc == null ? Future.succeededFuture() : grpc.close().recover(err -> Future.succeededFuture());
    for (String id : deployments) {
      f = f.compose(v -> vertx.undeploy(id).recover(err -> Future.succeededFuture()));
    }
    deployments.clear();
    return f;
  }
}
