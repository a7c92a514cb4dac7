package io.eco2.tests.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.List;

/**
 * JUnit 5 extension for tests of an engine embedded in the test JVM. Two uses:
 *
 * <pre>{@code
 * // One engine for the whole class (a static field) or for each test (an instance field):
 * @RegisterExtension
 * static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe"), null));
 * @Test void x() { String id = ENGINE.engine().submitOk(...); ENGINE.sse().toEnd(id); }
 *
 * // Engines configured test by test:
 * @ExtendWith(EmbeddedEngineExtension.class)
 * class T { @Test void x(EmbeddedEngines engines) { EmbeddedEngine engine = engines.start(config); } }
 * }</pre>
 *
 * <p>Parameters it resolves: {@link EmbeddedEngines} (the engines of the test, or of the class in a
 * {@code @BeforeAll} method, all closed when it ends), {@link EmbeddedEngine} and {@link SseClient} (the
 * configured engine and its SSE client) and {@link Vertx} (the instance the engines run on). A test class that
 * uses it needs no {@code VertxExtension}.
 */
public final class EmbeddedEngineExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
  AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedEngineExtension.class);
  private static final String ENGINES = "engines";

  private final JsonObject overrides;
  private volatile EmbeddedEngine engine;
  private volatile boolean perClass;

  /** For {@code @ExtendWith}: no configured engine, only {@link EmbeddedEngines} for the tests. */
  public EmbeddedEngineExtension() {
    this(null);
  }

  private EmbeddedEngineExtension(JsonObject overrides) {
    this.overrides = overrides;
  }

  /** An engine with {@code overrides} merged over the defaults, per class or per test (see above). */
  public static EmbeddedEngineExtension with(JsonObject overrides) {
    return new EmbeddedEngineExtension(overrides.copy());
  }

  /** An engine running {@code stages} with the given per-stage sections (may be null). */
  public static EmbeddedEngineExtension with(List<String> stages, JsonObject stageSections) {
    return with(EmbeddedEngine.pipeline(stages, stageSections));
  }

  /** The configured engine of the running class or test. */
  public EmbeddedEngine engine() {
    EmbeddedEngine e = engine;
    if (e == null) {
      throw new IllegalStateException("no engine: register the extension with EmbeddedEngineExtension.with(...) "
        + "on a static field (one engine per class) or an instance field (one per test)");
    }
    return e;
  }

  /** The configured engine's SSE client. */
  public SseClient sse() {
    return engine().sse();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (overrides != null) {
      perClass = true;
      engine = engines(context).start(overrides);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (overrides != null && !perClass) {
      engine = engines(context).start(overrides);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      engine = null;
    }
    close(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    engine = null;
    close(context);
  }

  /** Closes the engines of this context now, so that a failure to close fails the test that started them. */
  private static void close(ExtensionContext context) {
    EmbeddedEngines engines = context.getStore(NAMESPACE).remove(key(context), EmbeddedEngines.class);
    if (engines != null) {
      engines.close();
    }
  }

  /** The engines of exactly this context (a store lookup would otherwise also find the enclosing class's). */
  private static EmbeddedEngines engines(ExtensionContext context) {
    return context.getStore(NAMESPACE).getOrComputeIfAbsent(key(context), k -> new EmbeddedEngines(), EmbeddedEngines.class);
  }

  private static String key(ExtensionContext context) {
    return ENGINES + context.getUniqueId();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == EmbeddedEngines.class || type == Vertx.class) {
      return true;
    }
    return (type == EmbeddedEngine.class || type == SseClient.class) && overrides != null;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == EmbeddedEngines.class) {
      return engines(context);
    }
    if (type == Vertx.class) {
      return engines(context).vertx();
    }
    if (type == EmbeddedEngine.class) {
      return engine();
    }
    if (type == SseClient.class) {
      return sse();
    }
    throw new ParameterResolutionException("cannot resolve " + type);
  }
}
