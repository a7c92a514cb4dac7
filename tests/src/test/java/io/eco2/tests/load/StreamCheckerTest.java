package io.eco2.tests.load;

import io.eco2.tests.load.StreamChecker.Violation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The integrity rules, each on a crafted frame sequence, and what the checker keeps of a clean stream. */
class StreamCheckerTest {

  private static final List<String> STAGES = List.of("vision", "rule", "answer", "reward");

  private static SseFrame frame(String id, String event, String status, long seq, long ts, int progress) {
    String data = "{\"job_id\":\"j\",\"stage\":\"" + event + "\",\"status\":\"" + status + "\",\"seq\":" + seq
      + ",\"ts\":" + ts + ",\"progress\":" + progress + ",\"result\":null}";
    return new SseFrame(id, event, data, null, null, ts, 0);
  }

  /** A successful job's frames as the engine sends them (ts 1000 + 100 per event). */
  private static List<SseFrame> cleanJob() {
    List<SseFrame> frames = new ArrayList<>();
    frames.add(new SseFrame(null, null, null, "3000", null, 0, 0));
    frames.add(frame("1000-0", "queued", "completed", 0, 1000, 0));
    int seq = 1;
    for (int i = 0; i < STAGES.size(); i++) {
      long ts = 1000 + 100L * seq;
      frames.add(frame(ts + "-0", STAGES.get(i), "started", seq++, ts, i * 25));
      ts = 1000 + 100L * seq;
      frames.add(frame(ts + "-0", STAGES.get(i), "completed", seq++, ts, (i + 1) * 25));
    }
    frames.add(new SseFrame(null, null, null, null, "keepalive", 0, 0));
    long ts = 1000 + 100L * seq;
    frames.add(frame(ts + "-0", "done", "completed", seq, ts, 100));
    return frames;
  }

  private static StreamChecker check(List<SseFrame> frames) {
    StreamChecker checker = new StreamChecker(STAGES);
    frames.forEach(checker::accept);
    checker.streamEnded();
    return checker;
  }

  @Test
  void aCleanStreamHasNoViolationAndEveryStageCompleted() {
    StreamChecker checker = check(cleanJob());
    assertThat(checker.violations()).isEmpty();
    assertThat(checker.allStagesCompleted()).isTrue();
    assertThat(checker.terminal().event()).isEqualTo("done");
    assertThat(checker.events()).isEqualTo(10);
    // Each stage spent 100 ms between started and completed.
    assertThat(checker.stageMillis()).isEqualTo(400);
  }

  @Test
  void aRepeatedIdIsADuplicate() {
    List<SseFrame> frames = cleanJob();
    frames.add(3, frames.get(2));
    assertThat(check(frames).violations()).containsEntry(Violation.DUPLICATE_ID, 1)
      .containsEntry(Violation.SEQ_NOT_INCREASING, 1);
  }

  @Test
  void anIdBelowThePreviousOneIsNotIncreasing() {
    List<SseFrame> frames = cleanJob();
    SseFrame f = frames.get(3);
    frames.set(3, new SseFrame("900-5", f.event(), f.data(), null, null, 0, 0));
    assertThat(check(frames).violations()).isEqualTo(Map.of(Violation.ID_NOT_INCREASING, 1));
  }

  @Test
  void theSequenceNumberOfAnIdCountsWithinTheSameMillisecond() {
    List<SseFrame> frames = new ArrayList<>(List.of(frame("5-1", "queued", "completed", 0, 5, 0),
      frame("5-0", "vision", "started", 1, 5, 0)));
    assertThat(check(frames).violations()).containsEntry(Violation.ID_NOT_INCREASING, 1);
  }

  @Test
  void aMalformedIdCannotBeOrdered() {
    List<SseFrame> frames = cleanJob();
    SseFrame f = frames.get(3);
    frames.set(3, new SseFrame("abc", f.event(), f.data(), null, null, 0, 0));
    assertThat(check(frames).violations()).containsEntry(Violation.ID_NOT_INCREASING, 1);
  }

  @Test
  void aSeqThatDoesNotGrowIsReported() {
    List<SseFrame> frames = cleanJob();
    frames.set(3, frame("1150-0", "vision", "completed", 1, 1150, 25));
    assertThat(check(frames).violations()).isEqualTo(Map.of(Violation.SEQ_NOT_INCREASING, 1));
  }

  @Test
  void progressGoingDownIsReported() {
    List<SseFrame> frames = cleanJob();
    frames.set(4, frame("1300-0", "rule", "started", 3, 1300, 10));
    assertThat(check(frames).violations()).isEqualTo(Map.of(Violation.PROGRESS_DECREASED, 1));
  }

  @Test
  void aStreamEndingWithoutDoneOrErrorMissesItsTerminal() {
    List<SseFrame> frames = cleanJob();
    frames.remove(frames.size() - 1);
    StreamChecker checker = check(frames);
    assertThat(checker.violations()).isEqualTo(Map.of(Violation.MISSING_TERMINAL, 1));
    assertThat(checker.terminal()).isNull();
  }

  @Test
  void anyEventAfterTheTerminalFrameIsReported() {
    List<SseFrame> frames = cleanJob();
    frames.add(frame("9999-0", "done", "completed", 20, 9999, 100));
    frames.add(new SseFrame(null, null, null, null, "keepalive", 0, 0));
    assertThat(check(frames).violations()).isEqualTo(Map.of(Violation.FRAME_AFTER_TERMINAL, 1));
  }

  @Test
  void dataThatIsNotAJsonObjectIsReported() {
    List<SseFrame> frames = cleanJob();
    frames.add(3, new SseFrame("1150-0", "vision", "{\"stage\":\"vis", null, null, 0, 0));
    frames.add(4, new SseFrame("1160-0", "vision", "[1,2]", null, null, 0, 0));
    assertThat(check(frames).violations()).isEqualTo(Map.of(Violation.NOT_JSON, 2));
  }

  @Test
  void aStreamTimeoutFrameWithoutIdIsTerminalAndNoViolation() {
    List<SseFrame> frames = new ArrayList<>(cleanJob().subList(0, 4));
    frames.add(new SseFrame(null, "error", "{\"job_id\":\"j\",\"stage\":\"error\",\"status\":\"failed\",\"seq\":null,"
      + "\"ts\":5000,\"progress\":25,\"result\":{\"error\":\"too long\",\"code\":\"STREAM_TIMEOUT\"}}", null, null, 0, 0));
    StreamChecker checker = check(frames);
    assertThat(checker.violations()).isEmpty();
    assertThat(checker.terminalCode()).isEqualTo("STREAM_TIMEOUT");
    assertThat(checker.allStagesCompleted()).isFalse();
    assertThat(checker.stageMillis()).isEqualTo(-1);
  }
}
