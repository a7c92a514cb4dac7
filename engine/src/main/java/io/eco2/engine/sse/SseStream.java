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
 * frame) and sent after it, skipping ids already sent: no loss, no duplicate. A client's unwritten bytes
 * (written to the connection, not yet taken by its socket, plus held events) are bounded by
 * {@link SseOptions#maxBufferedBytes()}: a frame that would pass the bound disconnects the client (it can
 * resume with {@code Last-Event-ID}) rather than buffering without bound. A client whose socket has taken
 * everything may always receive one more frame, whatever its size.
 */
final class SseStream {

  private final String jobId;
  private final HttpServerResponse response;
  private final Context context;
  private final SseOptions options;
  private final Runnable onClose;
  private final Runnable onOverflow;
  private final long openedAt = System.currentTimeMillis();

  private final List<ProgressEvent> heldLive = new ArrayList<>();
  private final ArrayDeque<ProgressEvent> backlog = new ArrayDeque<>();
  private boolean historyRead;
  private boolean historySent;
  private EventId lastSent;
  private int lastProgress;
  private long lastWriteAt = System.currentTimeMillis();
  private boolean closed;
  private boolean endRequested;
  private boolean endAfterHistory;
  // Bytes handed to the connection whose write has not completed (not yet taken by the socket), and bytes
  // of live events held while the history goes out: together bounded by sse.max-buffered-bytes.
  private long unwritten;
  private long heldBytes;

  /** @param onOverflow told when the client is cut off for holding too many unsent bytes */
  SseStream(String jobId, HttpServerResponse response, Context context, SseOptions options, EventId after,
            Runnable onClose, Runnable onOverflow) {
    this.jobId = jobId;
    this.response = response;
    this.context = context;
    this.options = options;
    this.lastSent = after;
    this.onClose = onClose;
    this.onOverflow = onOverflow;
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

  /**
   * Sends the stored history, then whatever arrived live meanwhile. The history goes out as the connection
   * takes it (it is already in memory and cannot grow), so only what arrives live while the client lags
   * counts against {@link SseOptions#maxBufferedBytes()}.
   */
  void history(List<ProgressEvent> events) {
    if (closed) {
      return;
    }
    backlog.addAll(events);
    historyRead = true;
    pump();
  }

  // Writes history while the connection takes it; once it is all out, the live events held meanwhile.
  private void pump() {
    while (!closed && !endRequested && !backlog.isEmpty()) {
      Buffer next = frame(backlog.peekFirst());
      if (unwritten > 0 && unwritten + next.length() > options.maxBufferedBytes()) {
        return; // resumed when the socket has taken what is in flight
      }
      send(backlog.pollFirst(), next);
    }
    if (closed || !historyRead || historySent || !backlog.isEmpty()) {
      return;
    }
    historySent = true;
    List<ProgressEvent> held = List.copyOf(heldLive);
    heldLive.clear();
    heldBytes = 0;
    for (ProgressEvent e : held) {
      send(e);
    }
    if (endAfterHistory) {
      end();
    }
  }

  /** One live event (the hub passes encoded frames, see {@link #live(List, Buffer)}). */
  void live(ProgressEvent event) {
    live(Frame.of(event));
  }

  /** The SSE frame of a job event. */
  static Buffer frame(ProgressEvent e) {
    return Buffer.buffer("id: " + e.id() + "\nevent: " + e.stage() + "\ndata: " + e.toJson().encode() + "\n\n");
  }

  /** A live event with its id parsed and its frame encoded, once for every stream that watches the job. */
  record Frame(ProgressEvent event, EventId id, Buffer buffer) {

    static Frame of(ProgressEvent event) {
      return new Frame(event, EventId.parse(event.id()), frame(event));
    }

    /** The frames back to back (the one frame itself when alone). */
    static Buffer concat(List<Frame> frames) {
      if (frames.size() == 1) {
        return frames.get(0).buffer();
      }
      Buffer all = Buffer.buffer();
      for (Frame f : frames) {
        all.appendBuffer(f.buffer());
      }
      return all;
    }
  }

  /**
   * Live events that reached this loop together, {@code combined} their frames back to back: written as one
   * when the stream takes every one of them (the usual case), else one by one.
   */
  void live(List<Frame> frames, Buffer combined) {
    if (closed) {
      return;
    }
    boolean takesAll = historySent && !endRequested;
    EventId previous = lastSent;
    for (int i = 0; takesAll && i < frames.size(); i++) {
      Frame f = frames.get(i);
      takesAll = (previous == null || f.id().isAfter(previous)) && (!f.event().isTerminal() || i == frames.size() - 1);
      previous = f.id();
    }
    if (!takesAll) {
      for (Frame f : frames) {
        live(f);
      }
      return;
    }
    Frame last = frames.get(frames.size() - 1);
    for (Frame f : frames) {
      lastProgress = Math.max(lastProgress, f.event().progress());
    }
    lastSent = last.id();
    enqueue(combined);
    if (last.event().isTerminal()) {
      end();
    }
  }

  // A Buffer may be written to any number of connections: the frame is the one encoded for every stream.
  private void live(Frame f) {
    if (closed) {
      return;
    }
    if (!historySent) {
      int size = f.buffer().length();
      if (unwritten + heldBytes + size > options.maxBufferedBytes()) {
        overflow();
        return;
      }
      heldBytes += size;
      heldLive.add(f.event());
      return;
    }
    send(f.event(), f.buffer(), f.id());
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
    send(e, encoded, EventId.parse(e.id()));
  }

  private void send(ProgressEvent e, Buffer encoded, EventId id) {
    if (endRequested) {
      return;
    }
    if (lastSent != null && !id.isAfter(lastSent)) {
      if (e.isTerminal()) {
        // The client claims to hold this id or a later one; the job is over all the same, and so is the stream.
        end();
      }
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
    if (unwritten > 0 && unwritten + heldBytes + frame.length() > options.maxBufferedBytes()) {
      overflow();
      return;
    }
    write(frame);
  }

  private void overflow() {
    onOverflow.run();
    close(true);
  }

  private void write(Buffer frame) {
    lastWriteAt = System.currentTimeMillis();
    int size = frame.length();
    unwritten += size;
    response.write(frame).onComplete(ar -> {
      unwritten -= size;
      if (ar.succeeded()) {
        pump();
      }
    });
  }

  private void end() {
    endRequested = true;
    finish();
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
    backlog.clear();
    if (abort) {
      response.reset();
    } else if (!response.ended() && !response.closed()) {
      response.end();
    }
    onClose.run();
  }
}
