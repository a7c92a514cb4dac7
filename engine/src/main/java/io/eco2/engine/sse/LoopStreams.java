package io.eco2.engine.sse;

import io.vertx.core.Context;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * SSE streams grouped by the event-loop context that writes them, kept as they open and close, so that work
 * for many streams (an event's fan-out, the keep-alive sweep) is one task per loop walking only that loop's
 * streams, never a regrouping of them all. Thread-safe; a loop's group is dropped when its last stream leaves.
 */
final class LoopStreams {

  private final Map<Context, Set<SseStream>> byLoop = new ConcurrentHashMap<>(4);

  void add(SseStream stream) {
    // compute, not computeIfAbsent + add: atomic against a remove that drops the loop's emptied group.
    byLoop.compute(stream.context(), (c, group) -> {
      Set<SseStream> set = group != null ? group : ConcurrentHashMap.<SseStream>newKeySet();
      set.add(stream);
      return set;
    });
  }

  /** True when the stream was here. */
  boolean remove(SseStream stream) {
    boolean[] removed = {false};
    byLoop.computeIfPresent(stream.context(), (c, group) -> {
      removed[0] = group.remove(stream);
      return group.isEmpty() ? null : group;
    });
    return removed[0];
  }

  boolean isEmpty() {
    return byLoop.isEmpty();
  }

  int size() {
    return byLoop.values().stream().mapToInt(Set::size).sum();
  }

  /** The loops that have streams here now. */
  Set<Context> loops() {
    return byLoop.keySet();
  }

  /** The streams of one loop (a live view; empty when it has none). */
  Set<SseStream> on(Context loop) {
    return byLoop.getOrDefault(loop, Set.of());
  }

  /**
   * Runs {@code action} for every stream on the stream's own loop: one task per loop, walking that loop's
   * group (weakly consistent: a stream that leaves meanwhile may or may not be visited, none twice).
   */
  void forEachOnItsLoop(Consumer<SseStream> action) {
    byLoop.forEach((loop, group) -> loop.runOnContext(v -> group.forEach(action)));
  }
}
