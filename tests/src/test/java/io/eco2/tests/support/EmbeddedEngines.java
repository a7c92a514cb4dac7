package io.eco2.tests.support;

import io.eco2.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The engines of one test (or one test class), each started with its own configuration: injected by
 * {@link EmbeddedEngineExtension} into a test or lifecycle method, it closes every engine it started, last
 * first, and then its Vert.x instance, when that test (or class) ends — also when it fails.
 */
public final class EmbeddedEngines implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final List<EmbeddedEngine> started = new ArrayList<>();
  private final List<Vertx> own = new ArrayList<>();

  EmbeddedEngines() {
  }

  /** The Vert.x instance the engines run on, also for the test's own clients and servers. */
  public Vertx vertx() {
    return vertx;
  }

  /** Starts an engine with {@code overrides} merged over the defaults (see {@link EmbeddedEngine}). */
  public EmbeddedEngine start(JsonObject overrides) {
    return start(vertx, overrides);
  }

  /**
   * Another Vert.x instance with the given options (say, a strict blocked-thread checker), closed after the
   * engines like {@link #vertx()}.
   */
  public synchronized Vertx vertx(VertxOptions options) {
    Vertx v = Vertx.vertx(options);
    own.add(v);
    return v;
  }

  /** Starts an engine on another Vert.x instance (from {@link #vertx(VertxOptions)}); closed here. */
  public synchronized EmbeddedEngine start(Vertx on, JsonObject overrides) {
    EmbeddedEngine engine = EmbeddedEngine.start(on, overrides);
    started.add(engine);
    return engine;
  }

  /** Starts an engine running {@code stages} with the given per-stage sections (may be null). */
  public EmbeddedEngine start(List<String> stages, JsonObject stageSections) {
    return start(EmbeddedEngine.pipeline(stages, stageSections));
  }

  @Override
  public synchronized void close() {
    AssertionError failure = null;
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (RuntimeException | AssertionError e) {
        failure = failure == null ? new AssertionError("closing the test's engines failed", e) : failure;
      }
    }
    started.clear();
    own.forEach(v -> Await.result(v.close(), "test Vert.x closed"));
    own.clear();
    Await.result(vertx.close(), "test Vert.x closed");
    if (failure != null) {
      throw failure;
    }
  }
}
