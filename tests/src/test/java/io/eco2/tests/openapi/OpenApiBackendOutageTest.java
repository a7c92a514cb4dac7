package io.eco2.tests.openapi;

import io.eco2.testkit.Await;
import io.eco2.testkit.TcpProxy;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented 503 answers of status, result and cancel, provoked for real: a distributed API whose Redis
 * goes away (a proxy between them stops accepting and cuts what it carried) answers them 503 with the
 * contract's error shape, validated against docs/openapi.yaml ({@link OpenApiConformanceTest} covers every
 * other documented answer).
 */
class OpenApiBackendOutageTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();
  private OpenApiDocument api;
  private TcpProxy redis;

  @org.junit.jupiter.api.BeforeEach
  void readDocument() throws Exception {
    api = new OpenApiDocument();
  }

  @AfterEach
  void closeProxy() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void statusResultAndCancelAnswerTheDocumented503WhileTheEventLogIsUnreachable() throws Exception {
    redis = TcpProxy.start(env.vertx(), 6379);
    EngineProcess apiProcess = env.start("api", env.config("api", new JsonObject()
      .put("redis", new JsonObject().put("url", "redis://127.0.0.1:" + redis.port()))), "api");
    int port = apiProcess.port();
    String id = env.submit(port, "https://example.com/photos/can.jpg");

    redis.down();
    Await.until("the API sees Redis gone", () -> env.get(port, "/health/ready").statusCode() == 503);
    HttpResponse<Buffer> status = env.get(port, "/api/v1/scan/" + id);
    HttpResponse<Buffer> result = env.get(port, "/api/v1/scan/" + id + "/result");
    HttpResponse<Buffer> cancel = Await.result(env.web().delete(port, "127.0.0.1", "/api/v1/scan/" + id).send());

    assertThat(status.statusCode()).as(status.bodyAsString()).isEqualTo(503);
    assertThat(result.statusCode()).as(result.bodyAsString()).isEqualTo(503);
    assertThat(cancel.statusCode()).as(cancel.bodyAsString()).isEqualTo(503);
    api.check("getStatus", status);
    api.check("getResult", result);
    api.check("cancelJob", cancel);
    assertThat(api.checked()).containsAll(OpenApiConformanceTest.EXERCISED_ELSEWHERE);
  }
}
