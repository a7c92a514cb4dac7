package io.eco2.engine.eventlog;

/** A live subscription to one job's events; cancelling it is idempotent. */
@FunctionalInterface
public interface EventSubscription {
  void cancel();
}
