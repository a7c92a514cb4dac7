package io.eco2.engine.launcher;

import io.eco2.engine.Engine;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import sun.misc.Signal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The launcher's answer to SIGTERM and SIGINT: the first signal drains the engine (readiness down, intake
 * stopped, work handed over; see {@link Engine#drain(Duration, io.vertx.core.Future)}) and exits within
 * {@code pipeline.drain-seconds} + {@value #CLOSE_MILLIS} ms; a second signal of either kind ends the drain
 * at once. The log lines name the signal received.
 *
 * <p>Signal handlers rather than a shutdown hook, because a hook cannot tell SIGINT from SIGTERM nor see a
 * second signal. Other exits (System.exit, SIGHUP) still run the same shutdown from a hook.
 */
final class Shutdown {

  /** Time left after the drain for closing connections before the process exits regardless. */
  static final long CLOSE_MILLIS = 4_500;

  private static final System.Logger LOG = System.getLogger(Shutdown.class.getName());

  private final Vertx vertx;
  private final Engine engine;
  private final Duration drain;
  private final AtomicBoolean begun = new AtomicBoolean();
  private final Promise<Void> cutShort = Promise.promise();

  Shutdown(Vertx vertx, Engine engine, Duration drain) {
    this.vertx = vertx;
    this.engine = engine;
    this.drain = drain;
  }

  void install() {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> onSignal("SIG" + s.getName(), 128 + s.getNumber()));
      } catch (IllegalArgumentException unsupported) {
        LOG.log(System.Logger.Level.DEBUG, "signal SIG" + name + " cannot be handled here: " + unsupported);
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (begun.compareAndSet(false, true)) {
        run("JVM shutdown");
      }
    }, "eco2-shutdown-hook"));
  }

  // Exits with 128 + the signal's number, as a process killed by it would (143 for SIGTERM, 130 for SIGINT).
  private void onSignal(String signal, int status) {
    if (begun.compareAndSet(false, true)) {
      Thread t = new Thread(() -> {
        run(signal);
        System.exit(status);
      }, "eco2-shutdown");
      t.start();
    } else {
      LOG.log(System.Logger.Level.INFO, signal + " again: ending the drain now");
      cutShort.tryComplete();
    }
  }

  private void run(String cause) {
    LOG.log(System.Logger.Level.INFO, cause + ": intake stopped, draining accepted jobs for at most " + drain.toSeconds() + " s");
    long begin = System.currentTimeMillis();
    try {
      engine.drain(drain, cutShort.future())
        .onSuccess(left -> LOG.log(System.Logger.Level.INFO, left == 0 ? "drained: every accepted job ended"
          : "drain time over with " + left + " jobs unfinished (handed over or cancelled)"))
        .compose(left -> engine.close())
        .eventually(vertx::close)
        .toCompletionStage().toCompletableFuture()
        .get(Math.max(1, drain.toMillis() + CLOSE_MILLIS - (System.currentTimeMillis() - begin)), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "shutdown did not complete cleanly: " + e);
    }
    LOG.log(System.Logger.Level.INFO, "stopped");
    ShutdownSafeLogManager.resetFinally();
  }
}
