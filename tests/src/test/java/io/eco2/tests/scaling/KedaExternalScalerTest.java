package io.eco2.tests.scaling;

import io.eco2.engine.scaling.keda.GetMetricSpecResponse;
import io.eco2.engine.scaling.keda.GetMetricsRequest;
import io.eco2.engine.scaling.keda.GetMetricsResponse;
import io.eco2.engine.scaling.keda.IsActiveResponse;
import io.eco2.engine.scaling.keda.ScaledObjectRef;
import io.eco2.testkit.Await;
import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.eco2.tests.support.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The KEDA external scaler as KEDA calls it ({@code externalscaler.proto} over gRPC), against a live engine
 * whose stage is held busy: inactive while idle, active with the autoscaler's replica count under load,
 * and StreamIsActive pushes the change.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class KedaExternalScalerTest {

  private static final ServiceName SERVICE = ServiceName.create("externalscaler", "ExternalScaler");
  private static final ScaledObjectRef REF = ScaledObjectRef.newBuilder().setName("eco2-workers").setNamespace("eco2").build();

  private static <Req extends com.google.protobuf.MessageLite, Resp> ServiceMethod<Resp, Req> method(String name, com.google.protobuf.MessageOrBuilder response) {
    return ServiceMethod.client(SERVICE, name, GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(response));
  }

  private static <Req extends com.google.protobuf.MessageLite, Resp> Resp call(GrpcClient client, SocketAddress at, String name,
                                                                                Req request, com.google.protobuf.MessageOrBuilder response) {
    ServiceMethod<Resp, Req> m = method(name, response);
    return Await.result(client.request(at, m).compose(req -> req.send(request)).compose(GrpcClientResponse::last));
  }

  private static JsonObject config() {
    return ScalingEndpointTest.config().put("scaling", ScalingEndpointTest.config().getJsonObject("scaling").copy().put("grpc-port", 0));
  }

  @Test
  void answersIsActiveGetMetricSpecAndGetMetricsUnderLoad(EmbeddedEngines engines) {
    Vertx vertx = engines.vertx();
    String gate = UUID.randomUUID().toString();
    GrpcClient client = GrpcClient.client(vertx);
    EmbeddedEngine engine = engines.start(config());
    try {
      int port = engine.engine().scaling().grpcPort();
      assertThat(port).isPositive();
      SocketAddress at = SocketAddress.inetSocketAddress(port, "127.0.0.1");

      IsActiveResponse idle = call(client, at, "IsActive", REF, IsActiveResponse.newBuilder());
      assertThat(idle.getResult()).isFalse();
      GetMetricSpecResponse spec = call(client, at, "GetMetricSpec", REF, GetMetricSpecResponse.newBuilder());
      assertThat(spec.getMetricSpecsList()).hasSize(1);
      assertThat(spec.getMetricSpecs(0).getMetricName()).isEqualTo("desired-workers");
      assertThat(spec.getMetricSpecs(0).getTargetSizeFloat()).isEqualTo(1.0);
      assertThat(spec.getMetricSpecs(0).getTargetSize()).isEqualTo(1);

      // StreamIsActive: the current state at once, then the change when work arrives.
      List<Boolean> pushed = new CopyOnWriteArrayList<>();
      ServiceMethod<IsActiveResponse, ScaledObjectRef> stream = method("StreamIsActive", IsActiveResponse.newBuilder());
      // Subscribed from one context, so the handler is in place before the first push is handled: from the
      // test thread, the response callback could run after the connection had already delivered that push,
      // and it was lost (seen under load).
      Context context = vertx.getOrCreateContext();
      Promise<Void> subscribed = Promise.promise();
      context.runOnContext(v -> client.request(at, stream).compose(req -> {
        req.end(REF);
        return req.response();
      }).onSuccess(resp -> resp.handler(m -> pushed.add(m.getResult()))).<Void>mapEmpty().onComplete(subscribed));
      Await.result(subscribed.future(), "StreamIsActive subscribed");
      Await.until("the idle state pushed", () -> pushed.equals(List.of(false)));

      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ids.add(engine.submitOk(job("gate=" + gate)));
      }
      Await.until("more than one worker desired", () -> engine.engine().scaling().autoscaler().view().desiredWorkers() > 1);
      Await.until("the active state pushed", () -> pushed.equals(List.of(false, true)));
      IsActiveResponse busy = call(client, at, "IsActive", REF, IsActiveResponse.newBuilder());
      assertThat(busy.getResult()).isTrue();
      GetMetricsResponse metrics = call(client, at, "GetMetrics",
        GetMetricsRequest.newBuilder().setScaledObjectRef(REF).setMetricName("desired-workers").build(), GetMetricsResponse.newBuilder());
      assertThat(metrics.getMetricValuesList()).hasSize(1);
      assertThat(metrics.getMetricValues(0).getMetricName()).isEqualTo("desired-workers");
      JsonObject http = engine.get("/scaling/v1/desired").bodyAsJsonObject();
      assertThat(metrics.getMetricValues(0).getMetricValue()).isGreaterThan(1)
        .isEqualTo((long) metrics.getMetricValues(0).getMetricValueFloat());
      assertThat(http.getJsonObject("workers").getInteger("desired_replicas")).isGreaterThan(1);

      // A ScaledObject may ask for one stage's replicas through its metadata.
      ScaledObjectRef byStage = REF.toBuilder().putScalerMetadata("stage", "probe").build();
      GetMetricsResponse stage = call(client, at, "GetMetrics",
        GetMetricsRequest.newBuilder().setScaledObjectRef(byStage).setMetricName("desired-replicas-probe").build(), GetMetricsResponse.newBuilder());
      assertThat(stage.getMetricValues(0).getMetricValue()).isGreaterThan(1);
      ScaledObjectRef unknown = REF.toBuilder().putScalerMetadata("stage", "nope").build();
      ServiceMethod<GetMetricsResponse, GetMetricsRequest> getMetrics = method("GetMetrics", GetMetricsResponse.newBuilder());
      GrpcStatus status = Await.result(client.request(at, getMetrics)
        .compose(req -> req.send(GetMetricsRequest.newBuilder().setScaledObjectRef(unknown).build()))
        .compose(resp -> resp.end().transform(ar -> Future.succeededFuture(resp.status()))));
      assertThat(status).isEqualTo(GrpcStatus.INVALID_ARGUMENT);

      ProbeStage.open(gate);
      ids.forEach(engine.sse()::toEnd);
      Await.until("the idle state pushed again", () -> pushed.equals(List.of(false, true, false)));
      IsActiveResponse after = call(client, at, "IsActive", REF, IsActiveResponse.newBuilder());
      assertThat(after.getResult()).isFalse();
    } finally {
      ProbeStage.open(gate);
      Await.result(client.close());
    }
  }
}
