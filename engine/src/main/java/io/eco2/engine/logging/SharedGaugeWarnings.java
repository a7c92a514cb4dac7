package io.eco2.engine.logging;

import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Drops Micrometer's "This Gauge has been already registered" warning for Vert.x's own meters, and only those.
 *
 * <p>vertx-micrometer-metrics registers a gauge once per metrics object (each HTTP server instance of a shared
 * port, each pooled Redis connection) and backs every registration of one meter id with one shared counter, so
 * the second registration Micrometer ignores loses nothing: the gauge counts every instance. The warning it
 * prints at the first connection of every process is noise an operator cannot act on. A warning about any other
 * meter (the engine's own) still goes out.
 */
public final class SharedGaugeWarnings {

  static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";
  private static final String VERTX_GAUGE = "This Gauge has been already registered (MeterId{name='vertx.";
  // Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its filter.
  private static final Logger MICROMETER = Logger.getLogger(LOGGER);

  private SharedGaugeWarnings() {
  }

  /** Installs the filter on Micrometer's registry logger; idempotent. */
  public static void install() {
    Filter previous = MICROMETER.getFilter();
    if (previous instanceof VertxGaugeFilter) {
      return;
    }
    MICROMETER.setFilter(new VertxGaugeFilter(previous));
  }

  private record VertxGaugeFilter(Filter next) implements Filter {
    @Override
    public boolean isLoggable(java.util.logging.LogRecord r) {
      String message = r.getMessage();
      if (message != null && message.startsWith(VERTX_GAUGE)) {
        return false;
      }
      return next == null || next.isLoggable(r);
    }
  }
}
