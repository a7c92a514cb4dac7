package io.eco2.engine.transport.rabbitmq;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that owns one AMQP channel (or the connection): every blocking amqp-client call on that
 * channel runs here, in submission order, never on an event loop. One thread per channel keeps a channel's
 * operations ordered (a confirm channel's publish sequence numbers must match the order of publishes) without
 * locking, and a channel blocked by broker flow control stalls only its own work.
 */
final class AmqpThread {

  private static final System.Logger LOG = System.getLogger(AmqpThread.class.getName());

  private final String name;
  private final ExecutorService executor;

  AmqpThread(String name) {
    this.name = name;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code task} here; the future completes on {@code context} (the caller's event loop). */
  <T> Future<T> call(Context context, Callable<T> task) {
    Promise<T> promise = Promise.promise();
    try {
      executor.execute(() -> {
        try {
          T value = task.call();
          context.runOnContext(v -> promise.complete(value));
        } catch (Throwable e) {
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new IllegalStateException(name + " is closed"));
    }
    return promise.future();
  }

  /** Runs {@code task} here, for a caller that may block (the connection thread during recovery). */
  CompletableFuture<Void> submit(ThrowingRunnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          task.run();
          done.complete(null);
        } catch (Throwable e) {
          done.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(new IllegalStateException(name + " is closed"));
    }
    return done;
  }

  /** Runs {@code task} here, fire and forget: a failure is logged (there is nobody to tell). */
  void execute(ThrowingRunnable task) {
    try {
      executor.execute(() -> {
        try {
          task.run();
        } catch (Throwable e) {
          LOG.log(System.Logger.Level.WARNING, name + ": " + e);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, name + " is closed; task dropped");
    }
  }

  /** Lets queued tasks finish, then ends the thread. */
  void shutdown() {
    executor.shutdown();
  }

  boolean awaitTermination(long millis) throws InterruptedException {
    return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }

  /** A task that may throw the amqp-client's checked exceptions. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
