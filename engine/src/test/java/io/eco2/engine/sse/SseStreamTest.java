package io.eco2.engine.sse;

import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.job.ProgressEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SseStream against a scripted response (a dynamic proxy of HttpServerResponse): what is written, what
 * waits, and when a client that cannot keep up is cut off.
 */
class SseStreamTest {

  /** A response whose socket takes nothing while {@code full} says so: writes then stay incomplete. */
  private static final class FakeResponse {
    final List<String> written = new ArrayList<>();
    final List<Promise<Void>> inFlight = new ArrayList<>();
    boolean full;
    boolean ended;
    final AtomicInteger resets = new AtomicInteger();

    /** The socket catches up: every write in flight completes. */
    void release() {
      full = false;
      List<Promise<Void>> done = List.copyOf(inFlight);
      inFlight.clear();
      done.forEach(Promise::complete);
    }

    HttpServerResponse proxy() {
      return (HttpServerResponse) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServerResponse.class},
        (p, m, args) -> switch (m.getName()) {
          case "write" -> {
            written.add(((Buffer) args[0]).toString());
            if (!full) {
              yield Future.succeededFuture();
            }
            Promise<Void> write = Promise.promise();
            inFlight.add(write);
            yield write.future();
          }
          case "end" -> {
            ended = true;
            yield Future.succeededFuture();
          }
          case "reset" -> {
            resets.incrementAndGet();
            yield Future.succeededFuture();
          }
          case "ended" -> ended;
          case "closed" -> false;
          case "hashCode" -> System.identityHashCode(p);
          case "equals" -> p == args[0];
          default -> m.getReturnType().isAssignableFrom(HttpServerResponse.class) ? p : null;
        });
    }
  }

  private static ProgressEvent event(long ms, String stage, String status) {
    return new ProgressEvent(ms + "-0", "job", stage, status, ms, ms, 0, null);
  }

  private static SseStream stream(FakeResponse response, int maxBufferedBytes, AtomicInteger closes) {
    return stream(response, maxBufferedBytes, closes, EventId.ZERO);
  }

  private static SseStream stream(FakeResponse response, int maxBufferedBytes, AtomicInteger closes, EventId after) {
    SseStream s = new SseStream("job", response.proxy(), null, new SseOptions().setMaxBufferedBytes(maxBufferedBytes),
      after, closes::incrementAndGet, () -> { });
    s.start();
    return s;
  }

  private static final int ROOMY = 1 << 20;

  @Test
  void framesAreWrittenAtOnceWhileTheSocketKeepsUp() {
    FakeResponse response = new FakeResponse();
    SseStream s = stream(response, ROOMY, new AtomicInteger());
    s.history(List.of(event(1, "queued", "completed"), event(2, "vision", "started")));

    assertThat(response.written).hasSize(3);
    assertThat(response.written.get(0)).isEqualTo("retry: 3000\n\n");
    assertThat(response.written.get(2)).startsWith("id: 2-0\nevent: vision\ndata: {");
  }

  @Test
  void liveEventsThatArriveDuringTheHistoryAreSentAfterItWithoutDuplicates() {
    FakeResponse response = new FakeResponse();
    SseStream s = stream(response, ROOMY, new AtomicInteger());
    s.live(event(2, "vision", "started"));
    s.live(event(3, "vision", "completed"));
    s.history(List.of(event(1, "queued", "completed"), event(2, "vision", "started")));

    assertThat(response.written).hasSize(4);
    assertThat(response.written.subList(1, 4)).extracting(f -> f.substring(0, f.indexOf('\n')))
      .containsExactly("id: 1-0", "id: 2-0", "id: 3-0");
  }

  @Test
  void historyWaitsWhileTheSocketTakesNothingBeyondTheBoundAndFlowsWhenItCatchesUp() {
    FakeResponse response = new FakeResponse();
    int frame = SseStream.frame(event(1, "queued", "completed")).length();
    SseStream s = stream(response, frame + 20, new AtomicInteger());
    response.full = true;
    s.history(List.of(event(1, "queued", "completed"), event(2, "vision", "started")));
    assertThat(response.written).as("retry: then one frame within the bound").hasSize(2);

    response.release();
    assertThat(response.written).hasSize(3);
  }

  @Test
  void aClientThatLetsMoreBytesThanTheBoundPileUpIsDisconnected() {
    FakeResponse response = new FakeResponse();
    AtomicInteger closes = new AtomicInteger();
    int frame = SseStream.frame(event(4, "rule", "started")).length();
    SseStream s = stream(response, 2 * frame + frame / 2, closes);
    s.history(List.of(event(1, "queued", "completed")));
    response.full = true;
    s.live(event(2, "rule", "started"));
    s.live(event(3, "rule", "completed"));
    assertThat(response.resets.get()).as("two unwritten frames are within the bound").isZero();
    s.live(event(4, "rule", "started"));

    assertThat(response.resets.get()).isEqualTo(1);
    assertThat(closes.get()).isEqualTo(1);
    assertThat(response.written).hasSize(4);
  }

  @Test
  void aHistoryLargerThanTheBoundGoesOutAsTheConnectionTakesIt() {
    FakeResponse response = new FakeResponse();
    AtomicInteger closes = new AtomicInteger();
    SseStream s = stream(response, 10, closes);
    response.full = true;
    s.history(List.of(event(1, "queued", "completed"), event(2, "vision", "started"), event(3, "done", "completed")));
    response.release();

    assertThat(response.resets.get()).isZero();
    assertThat(response.written).hasSize(4);
    assertThat(response.ended).isTrue();
  }

  @Test
  void aStreamResumedAfterAnIdBeyondTheJobsLastEventEndsWhenTheJobEnds() {
    FakeResponse response = new FakeResponse();
    AtomicInteger closes = new AtomicInteger();
    SseStream s = stream(response, ROOMY, closes, new EventId(99_999_999_999_999L, 0));
    s.history(List.of());
    s.live(event(5, "vision", "started"));
    assertThat(response.ended).isFalse();
    s.live(event(6, "done", "completed"));

    assertThat(response.ended).isTrue();
    assertThat(closes.get()).isEqualTo(1);
    assertThat(response.written).as("only retry: was sent").hasSize(1);
  }

  @Test
  void theStreamEndsAfterTheTerminalEventAndIgnoresLaterOnes() {
    FakeResponse response = new FakeResponse();
    AtomicInteger closes = new AtomicInteger();
    SseStream s = stream(response, ROOMY, closes);
    s.history(List.of(event(1, "queued", "completed"), event(2, "done", "completed")));
    s.live(event(3, "vision", "started"));

    assertThat(response.ended).isTrue();
    assertThat(closes.get()).isEqualTo(1);
    assertThat(response.written).hasSize(3);
  }
  private static List<SseStream.Frame> frames(ProgressEvent... events) {
    List<SseStream.Frame> out = new ArrayList<>();
    for (ProgressEvent e : events) {
      out.add(SseStream.Frame.of(e));
    }
    return out;
  }

  @Test
  void eventsThatReachTheLoopTogetherGoOutInOneWrite() {
    FakeResponse response = new FakeResponse();
    AtomicInteger closes = new AtomicInteger();
    SseStream s = stream(response, 4, closes);
    s.history(List.of(event(1, "queued", "completed")));
    List<SseStream.Frame> batch = frames(event(2, "reward", "completed"), event(3, "done", "completed"));

    s.live(batch, SseStream.Frame.concat(batch));

    assertThat(response.written).hasSize(3);
    assertThat(response.written.get(2)).startsWith("id: 2-0\nevent: reward\n").contains("\n\nid: 3-0\nevent: done\n");
    assertThat(response.ended).as("the batch ended with the terminal event").isTrue();
    assertThat(closes).hasValue(1);
  }

  @Test
  void aBatchPartlySentAlreadyIsWrittenEventByEventWithoutDuplicates() {
    FakeResponse response = new FakeResponse();
    SseStream s = stream(response, 4, new AtomicInteger());
    s.history(List.of(event(1, "queued", "completed"), event(2, "vision", "started")));
    List<SseStream.Frame> batch = frames(event(2, "vision", "started"), event(3, "vision", "completed"));

    s.live(batch, SseStream.Frame.concat(batch));

    assertThat(response.written).hasSize(4);
    assertThat(response.written.get(3)).startsWith("id: 3-0\n").doesNotContain("id: 2-0");
  }
}
