package io.eco2.engine.scaling;

import io.eco2.engine.scaling.keda.GetMetricSpecResponse;
import io.eco2.engine.scaling.keda.GetMetricsRequest;
import io.eco2.engine.scaling.keda.GetMetricsResponse;
import io.eco2.engine.scaling.keda.IsActiveResponse;
import io.eco2.engine.scaling.keda.MetricSpec;
import io.eco2.engine.scaling.keda.MetricValue;
import io.eco2.engine.scaling.keda.ScaledObjectRef;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;

import java.util.function.Consumer;

/**
 * KEDA's external scaler ({@code externalscaler.proto}: IsActive, StreamIsActive, GetMetricSpec,
 * GetMetrics) over gRPC, served by the always-on API role on {@code scaling.grpc-port}, so that KEDA can
 * wake the workers from zero the moment work arrives and size them by the autoscaler's decision.
 *
 * <ul>
 *   <li>IsActive: whether any stage has work ready or in flight.</li>
 *   <li>StreamIsActive: the same, pushed at once and then whenever it changes (KEDA then does not wait for
 *       its polling interval to activate).</li>
 *   <li>GetMetricSpec: one metric, {@code desired-workers} (or {@code desired-replicas-<stage>} when the
 *       ScaledObject's metadata names a {@code stage}), target 1: with KEDA's AverageValue semantics the
 *       replica count becomes the metric's value.</li>
 *   <li>GetMetrics: that metric's value, the autoscaler's latest decision.</li>
 * </ul>
 */
public final class KedaExternalScaler {

  static final ServiceName SERVICE = ServiceName.create("externalscaler", "ExternalScaler");
  static final String WORKERS_METRIC = "desired-workers";

  private final Vertx vertx;
  private final Autoscaler autoscaler;
  private HttpServer server;

  public KedaExternalScaler(Vertx vertx, Autoscaler autoscaler) {
    this.vertx = vertx;
    this.autoscaler = autoscaler;
  }

  /** Listens on {@code host:port} (0: any free port). */
  public Future<Void> listen(String host, int port) {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(KedaExternalScaler.<ScaledObjectRef>method("IsActive", ScaledObjectRef.newBuilder()), req -> req.last().onSuccess(ref ->
      req.response().send(IsActiveResponse.newBuilder().setResult(autoscaler.view().active()).build())));
    grpc.callHandler(KedaExternalScaler.<ScaledObjectRef>method("GetMetricSpec", ScaledObjectRef.newBuilder()), req -> req.last().onSuccess(ref ->
      req.response().send(GetMetricSpecResponse.newBuilder().addMetricSpecs(MetricSpec.newBuilder()
        .setMetricName(metricName(ref)).setTargetSize(1).setTargetSizeFloat(1.0)).build())));
    grpc.callHandler(KedaExternalScaler.<GetMetricsRequest>method("GetMetrics", GetMetricsRequest.newBuilder()), req -> req.last().onSuccess(r -> {
      String stage = r.getScaledObjectRef().getScalerMetadataMap().get("stage");
      ScalingView view = autoscaler.view();
      ScalingView.Stage s = stage == null ? null : view.stages().get(stage);
      if (stage != null && s == null) {
        req.response().status(GrpcStatus.INVALID_ARGUMENT).statusMessage("no stage named '" + stage + "'").end();
        return;
      }
      int value = s == null ? view.desiredWorkers() : s.desiredReplicas();
      req.response().send(GetMetricsResponse.newBuilder().addMetricValues(MetricValue.newBuilder()
        .setMetricName(r.getMetricName().isEmpty() ? metricName(r.getScaledObjectRef()) : r.getMetricName())
        .setMetricValue(value).setMetricValueFloat(value)).build());
    }));
    grpc.callHandler(KedaExternalScaler.<ScaledObjectRef>method("StreamIsActive", ScaledObjectRef.newBuilder()), req -> req.last().onSuccess(ref ->
      stream(req.response())));
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(grpc).listen()
      .onSuccess(s -> server = s)
      .recover(err -> Future.failedFuture(new IllegalStateException("scaling.grpc-port: cannot listen on "
        + host + ":" + port + ": " + err.getMessage(), err)))
      .mapEmpty();
  }

  private static <Req extends com.google.protobuf.Message> ServiceMethod<Req, com.google.protobuf.MessageLite> method(
    String name, com.google.protobuf.MessageOrBuilder prototype) {
    return ServiceMethod.server(SERVICE, name, GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(prototype));
  }

  private static String metricName(ScaledObjectRef ref) {
    String stage = ref.getScalerMetadataMap().get("stage");
    return stage == null ? WORKERS_METRIC : "desired-replicas-" + stage;
  }

  // The state is pushed when it changes; a client too slow to take a frame just misses intermediate states
  // (only the latest matters), so nothing queues up for it.
  private void stream(GrpcServerResponse<?, com.google.protobuf.MessageLite> response) {
    Context context = vertx.getOrCreateContext();
    boolean[] last = {autoscaler.view().active()};
    Consumer<ScalingView>[] self = new Consumer[1];
    self[0] = view -> context.runOnContext(v -> {
      if (view.active() != last[0] && !response.writeQueueFull()) {
        last[0] = view.active();
        response.write(IsActiveResponse.newBuilder().setResult(last[0]).build())
          .onFailure(err -> autoscaler.removeListener(self[0]));
      }
    });
    if (!autoscaler.addListener(self[0])) {
      response.status(GrpcStatus.RESOURCE_EXHAUSTED).statusMessage("too many StreamIsActive streams").end();
      return;
    }
    response.exceptionHandler(err -> autoscaler.removeListener(self[0]));
    response.write(IsActiveResponse.newBuilder().setResult(last[0]).build())
      .onFailure(err -> autoscaler.removeListener(self[0]));
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
