package io.eco2.tests.support;

import io.eco2.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The former name of {@link EmbeddedEngine}, kept only while tests move to {@link EmbeddedEngineExtension},
 * {@link SseClient} and {@link Await}; it will be removed.
 *
 * @deprecated use {@link EmbeddedEngineExtension} (or {@link EmbeddedEngine#start}) and {@link Await}
 */
@Deprecated(forRemoval = true)
public final class EngineHarness extends EmbeddedEngine {

  public static final Duration TIMEOUT = Await.DEFAULT_TIMEOUT;

  private EngineHarness(Vertx vertx, JsonObject overrides) {
    super(vertx, startEngine(vertx, overrides));
  }

  public static EngineHarness start(Vertx vertx, JsonObject overrides) {
    return new EngineHarness(vertx, overrides);
  }

  public static JsonObject pipeline(List<String> stages, JsonObject stageSections) {
    return EmbeddedEngine.pipeline(stages, stageSections);
  }

  /** @deprecated use {@code sse().open(jobId, query, headers)} */
  public SseRecording stream(String jobId, String query, MultiMap headers) {
    return sse().open(jobId, query, headers);
  }

  /** @deprecated use {@code sse().toEnd(jobId)} */
  public List<SseFrame> streamToEnd(String jobId) {
    return sse().toEnd(jobId);
  }

  /** @deprecated use {@link Await#until(String, java.util.concurrent.Callable)} */
  public static void eventually(BooleanSupplier condition) {
    Await.until("condition", condition::getAsBoolean);
  }

  /** @deprecated use {@link Await#result(Future)} */
  public static <T> T await(Future<T> future) {
    return Await.result(future);
  }
}
