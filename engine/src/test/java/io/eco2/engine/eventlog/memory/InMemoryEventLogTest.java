package io.eco2.engine.eventlog.memory;

import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.job.ProgressUpdate;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryEventLogTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final InMemoryEventLog log = new InMemoryEventLog(Duration.ofSeconds(60), 3, Duration.ofSeconds(30), clock::get);

  private ProgressEvent append(String job, String stage, String status) {
    return log.append(job, ProgressUpdate.of(stage, status, 0, null, 0)).result();
  }

  @Test
  void idsAndSeqsStrictlyIncreaseWithinAJob() {
    ProgressEvent a = append("j", "queued", "completed");
    ProgressEvent b = append("j", "vision", "started");
    ProgressEvent c = append("j", "vision", "completed");
    assertThat(List.of(a.seq(), b.seq(), c.seq())).containsExactly(0L, 1L, 2L);
    assertThat(EventId.parse(b.id()).isAfter(EventId.parse(a.id()))).isTrue();
    assertThat(EventId.parse(c.id()).isAfter(EventId.parse(b.id()))).isTrue();
  }

  @Test
  void aRepeatedStepIsLoggedOnce() {
    ProgressEvent first = append("j", "vision", "started");
    ProgressEvent again = append("j", "vision", "started");
    assertThat(again).isEqualTo(first);
    assertThat(log.readAfter("j", EventId.ZERO).result()).hasSize(1);
  }

  @Test
  void readAfterReturnsOnlyLaterEvents() {
    ProgressEvent a = append("j", "queued", "completed");
    ProgressEvent b = append("j", "vision", "started");
    assertThat(log.readAfter("j", EventId.parse(a.id())).result()).containsExactly(b);
  }

  @Test
  void subscribersSeeEventsAppendedAfterSubscribing() {
    append("j", "queued", "completed");
    List<ProgressEvent> seen = new ArrayList<>();
    var sub = log.subscribe("j", seen::add);
    ProgressEvent b = append("j", "vision", "started");
    sub.cancel();
    append("j", "vision", "completed");
    assertThat(seen).containsExactly(b);
  }

  @Test
  void jobsExpireTtlAfterTheirLastEvent() {
    append("j", "queued", "completed");
    log.putResult("j", new JsonObject().put("status", "completed"));
    clock.addAndGet(60_001);
    assertThat(log.latest("j").result()).isNull();
    assertThat(log.result("j").result()).isNull();
  }

  @Test
  void retainsAtMostMaxJobsEvictingTheFirstFinished() {
    for (String job : List.of("a", "b", "c", "d")) {
      append(job, "queued", "completed");
      append(job, ProgressEvent.DONE, "completed");
    }
    assertThat(log.size()).isEqualTo(3);
    assertThat(log.latest("a").result()).isNull();
    assertThat(log.latest("d").result()).isNotNull();
  }

  @Test
  void anIdempotencyKeyReturnsTheFirstResponseUntilItExpires() {
    JsonObject first = new JsonObject().put("job_id", "1");
    assertThat(log.claimIdempotencyKey("k", first).result()).isNull();
    assertThat(log.claimIdempotencyKey("k", new JsonObject().put("job_id", "2")).result()).isEqualTo(first);
    clock.addAndGet(30_001);
    assertThat(log.claimIdempotencyKey("k", new JsonObject().put("job_id", "3")).result()).isNull();
  }
  private static JsonObject output(int chars) {
    return new JsonObject().put("final_answer", new JsonObject().put("user_answer", "분".repeat(chars)));
  }

  @Test
  void finishedJobsStayWithinTheByteBoundTheFirstFinishedEvictedFirst() {
    long bound = 64 * 1024;
    InMemoryEventLog small = new InMemoryEventLog(Duration.ofSeconds(60), 1000, bound, Duration.ofSeconds(30), clock::get);
    for (int job = 0; job < 40; job++) {
      // About 4 KiB of Korean text per completed event, twice per job: 40 jobs are far over 64 KiB.
      small.transition("j" + job, 0, List.of(ProgressUpdate.of("queued", "completed", 0, null, 0),
        ProgressUpdate.of("a", "completed", 50, output(2000), 0), ProgressUpdate.of(ProgressEvent.DONE, "completed", 100, null, 0)),
        output(2000), 0);
      assertThat(small.bytes()).isLessThanOrEqualTo(bound);
    }
    assertThat(small.size()).isBetween(2, 39);
    assertThat(small.readAfter("j0", EventId.ZERO).result()).as("the first finished job went first").isEmpty();
    assertThat(small.readAfter("j39", EventId.ZERO).result()).hasSize(3);
    assertThat(small.result("j39").result()).isEqualTo(output(2000));
  }

  @Test
  void aRunningJobIsNeverEvictedSoItsLogDoesNotStartOver() {
    long bound = 64 * 1024;
    InMemoryEventLog small = new InMemoryEventLog(Duration.ofSeconds(60), 1000, bound, Duration.ofSeconds(30), clock::get);
    small.transition("running", 0, List.of(ProgressUpdate.of("queued", "completed", 0, null, 0),
      ProgressUpdate.of("a", "completed", 50, output(2000), 0)), null, 0);
    for (int job = 0; job < 40; job++) {
      small.transition("j" + job, 0, List.of(ProgressUpdate.of("a", "completed", 50, output(2000), 0),
        ProgressUpdate.of(ProgressEvent.DONE, "completed", 100, null, 0)), output(2000), 0);
    }
    // Touched last long ago, and the oldest entry: still there, and its next event goes on from seq 2.
    assertThat(small.readAfter("running", EventId.ZERO).result()).hasSize(2);
    ProgressEvent next = small.append("running", ProgressUpdate.of("b", "started", 60, null, 0)).result();
    assertThat(next.seq()).isEqualTo(2);
    assertThat(small.bytes()).isLessThanOrEqualTo(bound);
  }

  @Test
  void onlyRunningJobsLeftMayGoAboveTheBound() {
    long bound = 16 * 1024;
    InMemoryEventLog small = new InMemoryEventLog(Duration.ofSeconds(60), 2, bound, Duration.ofSeconds(30), clock::get);
    for (int job = 0; job < 5; job++) {
      small.transition("r" + job, 0, List.of(ProgressUpdate.of("a", "completed", 50, output(2000), 0)), null, 0);
    }
    assertThat(small.size()).as("admission control bounds running jobs, not the log").isEqualTo(5);
    assertThat(small.bytes()).isGreaterThan(bound);
  }

  @Test
  void aJobsFootprintCountsItsTextAndIsReleasedWhenItLeaves() {
    InMemoryEventLog one = new InMemoryEventLog(Duration.ofSeconds(60), 1000, 1 << 20, Duration.ofSeconds(30), clock::get);
    one.transition("j", 0, List.of(ProgressUpdate.of("a", "completed", 50, output(1000), 0)), null, 0);
    // 1,000 Korean characters are 2,000 bytes in a String; the estimate holds them plus the structure.
    assertThat(one.bytes()).isBetween(2000L + Footprint.EVENT_OVERHEAD, 4000L + Footprint.EVENT_OVERHEAD + Footprint.JOB_OVERHEAD);
    one.discard("j");
    assertThat(one.bytes()).isZero();
  }

  @Test
  void theAutomaticBoundIsAQuarterOfTheMaximumHeap() {
    assertThat(new InMemoryEventLog(Duration.ofSeconds(60), 10, Duration.ofSeconds(30)).maxBytes())
      .isEqualTo(Runtime.getRuntime().maxMemory() / 4);
  }

  private void transition(String job, long expected, String stage, String status) {
    log.transition(job, expected, List.of(ProgressUpdate.of(stage, status, 0, null, 0)), null, clock.get());
  }

  @Test
  void aJobIsWatchedFromItsFirstTransitionUntilItsTerminalOne() {
    transition("j", 0, "queued", "completed");
    assertThat(log.activeJobs().watchedBefore(clock.get(), 10).result()).containsExactly("j");
    transition("j", 1, "done", "completed");
    assertThat(log.activeJobs().watchedBefore(Long.MAX_VALUE, 10).result()).isEmpty();
  }

  @Test
  void runningJobsStayWatchedBeyondMaxJobs() {
    for (String job : List.of("a", "b", "c", "d")) {
      clock.incrementAndGet();
      transition(job, 0, "queued", "completed");
    }
    // max-jobs 3, but none has ended: none is evicted, so the watchdog still sees every one.
    assertThat(log.activeJobs().watchedBefore(Long.MAX_VALUE, 10).result()).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aCancelRequestIsFoundForItsJobOnlyAndIsForgottenWithTheJob() {
    append("a", "queued", "completed");
    append("b", "queued", "completed");
    assertThat(log.mayHaveCancelRequests()).isFalse();
    log.requestCancel("b");
    assertThat(log.mayHaveCancelRequests()).isTrue();
    assertThat(log.cancelRequested(List.of("a", "b", "unknown")).result()).containsExactly("b");
    clock.addAndGet(Duration.ofSeconds(61).toMillis());
    assertThat(log.cancelRequested(List.of("b")).result()).isEmpty();
    assertThat(log.mayHaveCancelRequests()).isFalse();
  }
}
