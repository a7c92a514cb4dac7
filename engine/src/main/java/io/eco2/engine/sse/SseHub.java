package io.eco2.engine.sse;

import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.EventSubscription;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.metrics.PipelineMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Serves every SSE stream of this instance from one live subscription per watched job.
 *
 * <p>However many clients watch a job, the hub subscribes to the event log once for it and fans each event
 * out to the clients' event loops. One periodic sweep (not a timer per stream) sends keep-alives and ends
 * streams that reached their maximum duration, so 10,000 idle streams cost 10,000 small objects and no
 * timers.
 */
public final class SseHub {

  private static final long SWEEP_MILLIS = 1000;
  /** Pause between two reads of a stream's history while the event log does not answer. */
  private static final long BACKEND_RETRY_MILLIS = 500;

  private final Vertx vertx;
  private final EventLog log;
  private final SseOptions options;
  private final PipelineMetrics metrics;
  private final Map<String, Channel> channels = new HashMap<>();
  // By event loop, so that the sweep hands each loop its own streams instead of regrouping them all each
  // second (that regrouping was a tenth of the API's samples with 10,000 streams open, on one thread).
  private final LoopStreams streams = new LoopStreams();
  private final long sweepTimer;
  private final Counter slowClients;
  private volatile boolean draining;

  public SseHub(Vertx vertx, EventLog log, SseOptions options, PipelineMetrics metrics) {
    this.vertx = vertx;
    this.log = log;
    this.options = options;
    this.metrics = metrics;
    this.slowClients = Counter.builder("sse_slow_clients_disconnected_total")
      .description("SSE streams cut off because their client let more than sse.max-buffered-bytes pile up unsent")
      .register(metrics.registry());
    long period = Math.max(10, Math.min(SWEEP_MILLIS, Math.min(options.keepalive().toMillis(), options.maxDuration().toMillis()) / 4));
    this.sweepTimer = vertx.setPeriodic(period, id -> sweep());
  }

  /**
   * Streams a job that is known to exist: headers and {@code retry:} first, then every event after
   * {@code after}, then live events until the terminal one. Must be called on the request's event loop.
   */
  public void serve(String jobId, EventId after, HttpServerResponse response) {
    serve(jobId, after, null, response);
  }

  /**
   * As {@link #serve(String, EventId, HttpServerResponse)}, knowing the job's latest event: when it is
   * terminal and the client already has it (an EventSource reconnecting after {@code done}), the stream
   * ends after its {@code retry:} frame instead of idling until its maximum duration.
   */
  public void serve(String jobId, EventId after, ProgressEvent latest, HttpServerResponse response) {
    SseStream stream = open(jobId, after, response);
    if (stream == null) {
      return;
    }
    if (latest != null && latest.isTerminal() && !EventId.parse(latest.id()).isAfter(after)) {
      stream.endAfterHistory();
    }
    readHistory(stream, after, deadline());
  }

  /**
   * Streams a job whose existence could not be checked because the event log did not answer: an
   * EventSource treats any non-200 answer as final, so the stream opens (200, {@code retry:}, keep-alives)
   * and waits, reading again every {@value #BACKEND_RETRY_MILLIS} ms for at most
   * {@link SseOptions#backendWait()}. A job found then streams as usual; a job found not to exist, or a log
   * still down at the bound, ends the stream normally, so the client reconnects with its
   * {@code Last-Event-ID} (and then gets 404 {@code JOB_NOT_FOUND} if the job really is unknown).
   */
  public void serveWhenAvailable(String jobId, EventId after, HttpServerResponse response) {
    SseStream stream = open(jobId, after, response);
    if (stream != null) {
      lookUp(stream, after, deadline());
    }
  }

  // Null when draining: the client got 200, its retry: and an immediate end, so it moves to another instance.
  private SseStream open(String jobId, EventId after, HttpServerResponse response) {
    Context context = vertx.getOrCreateContext();
    SseStream[] self = new SseStream[1];
    SseStream stream = new SseStream(jobId, response, context, options, after, () -> leave(self[0]), slowClients::increment);
    self[0] = stream;
    streams.add(stream);
    metrics.sseOpened();
    stream.start();
    if (draining) {
      stream.endNow();
      return null;
    }
    join(stream);
    return stream;
  }

  private long deadline() {
    return System.currentTimeMillis() + options.backendWait().toMillis();
  }

  private void lookUp(SseStream stream, EventId after, long deadline) {
    Context context = stream.context();
    log.latest(stream.jobId()).onComplete(ar -> context.runOnContext(v -> {
      if (stream.isClosed()) {
        return;
      }
      if (ar.failed()) {
        retryOrEnd(stream, deadline, () -> lookUp(stream, after, deadline));
      } else if (ar.result() == null) {
        stream.endNow();
      } else {
        if (ar.result().isTerminal() && !EventId.parse(ar.result().id()).isAfter(after)) {
          stream.endAfterHistory();
        }
        readHistory(stream, after, deadline);
      }
    }));
  }

  private void readHistory(SseStream stream, EventId after, long deadline) {
    Context context = stream.context();
    log.readAfter(stream.jobId(), after).onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded()) {
        stream.history(ar.result());
      } else if (!stream.isClosed()) {
        retryOrEnd(stream, deadline, () -> readHistory(stream, after, deadline));
      }
    }));
  }

  private void retryOrEnd(SseStream stream, long deadline, Runnable again) {
    if (System.currentTimeMillis() + BACKEND_RETRY_MILLIS > deadline) {
      stream.endNow();
    } else {
      vertx.setTimer(BACKEND_RETRY_MILLIS, id -> again.run());
    }
  }

  /** Open streams on this instance. */
  public int size() {
    return streams.size();
  }

  /**
   * Ends every stream normally and answers new ones with an immediate end (a draining instance): their
   * EventSources reconnect at once, reach another instance and resume with their {@code Last-Event-ID}.
   */
  public void drain() {
    draining = true;
    streams.forEachOnItsLoop(SseStream::endNow);
  }

  /** Ends every stream (shutdown); clients resume elsewhere with {@code Last-Event-ID}. */
  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    streams.forEachOnItsLoop(s -> s.close(false));
    return Future.succeededFuture();
  }

  private synchronized void join(SseStream stream) {
    Channel ch = channels.get(stream.jobId());
    if (ch == null) {
      Channel created = new Channel();
      created.subscription = log.subscribe(stream.jobId(), event -> created.publish(event));
      ch = created;
      channels.put(stream.jobId(), ch);
    }
    ch.members.add(stream);
  }

  private void leave(SseStream stream) {
    if (streams.remove(stream)) {
      metrics.sseClosed();
    }
    synchronized (this) {
      Channel ch = channels.get(stream.jobId());
      if (ch != null && ch.members.remove(stream) && ch.members.isEmpty()) {
        ch.subscription.cancel();
        channels.remove(stream.jobId());
      }
    }
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    streams.forEachOnItsLoop(s -> s.tick(now));
  }

  /**
   * One job's watchers on this instance, fed by one subscription.
   *
   * <p>Each event is encoded once (its id parsed once, its frame built once, the same buffer written to
   * every socket), and events reach an event loop in one task per loop, not per stream: with thousands of
   * watchers of one job, a task each would cost more than the writes. Events that arrive for a loop before
   * its task ran (a transition's {@code completed} and {@code done}) are written together: one write, one
   * flush per socket for the batch. The watchers are kept by event loop, so that an event costs a look at the
   * few loops and each loop's task walks only its own sockets (walking every watcher once per loop, to find
   * the loops and then each loop's streams, was a fifth of the API's CPU with 10,000 streams open).
   */
  private static final class Channel {
    // Changed under the hub's lock, read without it (publish on the log's thread, drain on each loop).
    final LoopStreams members = new LoopStreams();
    EventSubscription subscription;
    // Guarded by itself: per event loop, the events its pending task has still to write.
    private final Map<Context, List<SseStream.Frame>> unwritten = new HashMap<>();

    void publish(ProgressEvent event) {
      SseStream.Frame frame = SseStream.Frame.of(event);
      for (Context context : members.loops()) {
        boolean schedule;
        synchronized (unwritten) {
          List<SseStream.Frame> batch = unwritten.computeIfAbsent(context, c -> new ArrayList<>(2));
          schedule = batch.isEmpty();
          batch.add(frame);
        }
        if (schedule) {
          context.runOnContext(v -> drain(context));
        }
      }
    }

    // On the loop's own thread: its streams take the batch, as one buffer when there are several events.
    private void drain(Context context) {
      List<SseStream.Frame> batch;
      synchronized (unwritten) {
        batch = unwritten.remove(context);
      }
      if (batch == null || batch.isEmpty()) {
        return;
      }
      Set<SseStream> loop = members.on(context);
      if (loop.isEmpty()) {
        return;
      }
      io.vertx.core.buffer.Buffer combined = SseStream.Frame.concat(batch);
      for (SseStream s : loop) {
        s.live(batch, combined);
      }
    }
  }
}
