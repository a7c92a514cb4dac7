package io.eco2.engine.sse;

import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.job.ProgressEvent;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's event stream. Lives on its request's event loop: every method below runs there.
 *
 * <p>Live events that arrive while the history is still being read are held (bounded like any pending
 * frame) and sent after it, skipping ids already sent: no loss, no duplicate. Frames the socket cannot take
 * wait in a queue of at most {@link SseOptions#maxBufferedFrames()}; a client that lets it overflow is
 * disconnected (it can resume with {@code Last-Event-ID}) rather than buffered without bound.
 */
final class SseStream {

  private final String jobId;
  private final HttpServerResponse response;
  private final Context context;
  private final SseOptions options;
  private final Runnable onClose;
  private final long openedAt = System.currentTimeMillis();

  private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
  private final List<ProgressEvent> heldLive = new ArrayList<>();
  private boolean historySent;
  private EventId lastSent;
  private int lastProgress;
  private long lastWriteAt = System.currentTimeMillis();
  private boolean closed;
  private boolean endRequested;
  private boolean endAfterHistory;

  SseStream(String jobId, HttpServerResponse response, Context context, SseOptions options, EventId after,
            Runnable onClose) {
    this.jobId = jobId;
    this.response = response;
    this.context = context;
    this.options = options;
    this.lastSent = after;
    this.onClose = onClose;
    response.drainHandler(v -> flush());
    response.closeHandler(v -> close(false));
  }

  String jobId() {
    return jobId;
  }

  Context context() {
    return context;
  }

  void start() {
    response.setChunked(true)
      .putHeader("Content-Type", "text/event-stream; charset=utf-8")
      .putHeader("Cache-Control", "no-cache")
      .putHeader("Connection", "keep-alive")
      .putHeader("X-Accel-Buffering", "no");
    enqueue(Buffer.buffer("retry: " + options.retryMillis() + "\n\n"));
  }

  /**
   * Ends the stream normally once what is queued is out: the client reconnects with its
   * {@code Last-Event-ID} (a draining instance, a backing service that stayed down, a job not found).
   */
  void endNow() {
    if (!closed) {
      end();
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** The client already holds the terminal event: end once the (empty) history is out. */
  void endAfterHistory() {
    endAfterHistory = true;
  }

  /** Sends the stored history, then whatever arrived live meanwhile. */
  void history(List<ProgressEvent> events) {
    if (closed) {
      return;
    }
    for (ProgressEvent e : events) {
      send(e);
    }
    historySent = true;
    for (ProgressEvent e : heldLive) {
      send(e);
    }
    heldLive.clear();
    if (endAfterHistory) {
      end();
    }
  }

  void live(ProgressEvent event) {
    live(event, null);
  }

  /**
   * A live event, with its frame already encoded when many streams watch the job (encoded once per event,
   * not once per stream; a Buffer may be written to any number of connections).
   */
  void live(ProgressEvent event, Buffer frame) {
    if (closed) {
      return;
    }
    if (!historySent) {
      if (heldLive.size() >= options.maxBufferedFrames()) {
        close(true);
        return;
      }
      heldLive.add(event);
      return;
    }
    send(event, frame);
  }

  /** The SSE frame of a job event. */
  static Buffer frame(ProgressEvent e) {
    return Buffer.buffer("id: " + e.id() + "\nevent: " + e.stage() + "\ndata: " + e.toJson().encode() + "\n\n");
  }

  /** Keep-alive and maximum duration, checked by the hub's sweep. */
  void tick(long now) {
    if (closed) {
      return;
    }
    if (now - openedAt >= options.maxDuration().toMillis()) {
      JsonObject data = new JsonObject().put("job_id", jobId).put("stage", ProgressEvent.ERROR)
        .put("status", ProgressEvent.FAILED).putNull("seq").put("ts", now).put("progress", lastProgress)
        .put("result", new JsonObject().put("error", "stream open longer than "
          + options.maxDuration().toSeconds() + " s; reconnect with Last-Event-ID to continue").put("code", "STREAM_TIMEOUT"));
      enqueue(Buffer.buffer("event: error\ndata: " + data.encode() + "\n\n"));
      end();
    } else if (now - lastWriteAt >= options.keepalive().toMillis()) {
      enqueue(Buffer.buffer(": keepalive\n\n"));
    }
  }

  private void send(ProgressEvent e) {
    send(e, null);
  }

  private void send(ProgressEvent e, Buffer encoded) {
    if (endRequested) {
      return;
    }
    EventId id = EventId.parse(e.id());
    if (lastSent != null && !id.isAfter(lastSent)) {
      return;
    }
    lastSent = id;
    lastProgress = Math.max(lastProgress, e.progress());
    enqueue(encoded != null ? encoded : frame(e));
    if (e.isTerminal()) {
      end();
    }
  }

  private void enqueue(Buffer frame) {
    if (closed) {
      return;
    }
    if (pending.isEmpty() && !response.writeQueueFull()) {
      write(frame);
      return;
    }
    if (pending.size() >= options.maxBufferedFrames()) {
      close(true);
      return;
    }
    pending.addLast(frame);
  }

  private void flush() {
    while (!closed && !pending.isEmpty() && !response.writeQueueFull()) {
      write(pending.pollFirst());
    }
    if (endRequested && pending.isEmpty()) {
      finish();
    }
  }

  private void write(Buffer frame) {
    lastWriteAt = System.currentTimeMillis();
    response.write(frame);
  }

  private void end() {
    endRequested = true;
    if (pending.isEmpty()) {
      finish();
    }
  }

  private void finish() {
    if (!closed) {
      closed = true;
      response.end();
      onClose.run();
    }
  }

  /** Ends the stream; {@code abort} resets the connection of a client that cannot keep up. */
  void close(boolean abort) {
    if (closed) {
      return;
    }
    closed = true;
    pending.clear();
    if (abort) {
      response.reset();
    } else if (!response.ended() && !response.closed()) {
      response.end();
    }
    onClose.run();
  }
}
