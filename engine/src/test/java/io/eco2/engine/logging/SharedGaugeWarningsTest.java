package io.eco2.engine.logging;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Which of Micrometer's re-registration warnings reach the log. */
class SharedGaugeWarningsTest {

  private final Logger micrometer = Logger.getLogger(SharedGaugeWarnings.LOGGER);

  private static LogRecord warning(String meter) {
    return new LogRecord(Level.WARNING, "This Gauge has been already registered (MeterId{name='" + meter
      + "', tags=[]}), the registration will be ignored.");
  }

  @Test
  void aVertxMetersReRegistrationWarningIsDropped() {
    SharedGaugeWarnings.install();
    assertThat(micrometer.getFilter().isLoggable(warning("vertx.http.server.active.connections"))).isFalse();
  }

  @Test
  void aWarningAboutAnyOtherMeterStillGoesOut() {
    SharedGaugeWarnings.install();
    assertThat(micrometer.getFilter().isLoggable(warning("pipeline.stage.inflight"))).isTrue();
    assertThat(micrometer.getFilter().isLoggable(new LogRecord(Level.WARNING, "something else"))).isTrue();
  }
}
