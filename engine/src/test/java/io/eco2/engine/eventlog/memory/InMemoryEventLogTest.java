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
  void retainsAtMostMaxJobsEvictingTheLeastRecent() {
    append("a", "queued", "completed");
    append("b", "queued", "completed");
    append("c", "queued", "completed");
    append("d", "queued", "completed");
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
}
