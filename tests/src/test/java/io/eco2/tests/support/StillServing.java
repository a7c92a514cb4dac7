package io.eco2.tests.support;

import io.eco2.testkit.LogCapture;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JUnit 5 extension for tests that abuse an engine's front door (malformed framing, slow or silent clients):
 * it captures every log record of each test, and after the test fails it if a stack trace was logged or if
 * the engine no longer answers {@code /health/live} with 200 on a new connection. A new connection, not a
 * pooled one: these tests configure idle timeouts of about a second, and a kept-alive connection the server
 * closes for idleness just as the check reuses it says nothing about whether the engine still serves.
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(...);
 * @RegisterExtension final StillServing stillServing = StillServing.of(ENGINE);
 * }</pre>
 */
public final class StillServing implements BeforeEachCallback, AfterEachCallback {

  private final EmbeddedEngineExtension engine;
  private LogCapture logs;

  private StillServing(EmbeddedEngineExtension engine) {
    this.engine = engine;
  }

  /** Checks the configured engine of {@code engine} after each test. */
  public static StillServing of(EmbeddedEngineExtension engine) {
    return new StillServing(engine);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    logs = LogCapture.of("");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logs.close();
    logs.assertNoStackTrace();
    try (RawHttp c = RawHttp.connect(engine.engine().port())) {
      int status = c.send("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read().status();
      assertThat(status).as("/health/live on a new connection after the test").isEqualTo(200);
    }
  }
}
