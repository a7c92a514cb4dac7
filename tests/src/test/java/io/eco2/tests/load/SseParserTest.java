package io.eco2.tests.load;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The incremental SSE parser: blocks split anywhere across chunks, including inside a UTF-8 character. */
class SseParserTest {

  private static final String STREAM = "retry: 3000\n\n"
    + "id: 1-0\nevent: queued\ndata: {\"answer\":\"페트병은 라벨을 떼고 버리세요\"}\n\n"
    + ": keepalive\n\n"
    + "id: 2-0\nevent: done\ndata: {\"a\":1}\ndata: {\"b\":2}\n\n";

  @Test
  void everySplitPointGivesTheSameFrames() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    List<SseFrame> whole = SseParser.parseAll(STREAM);
    assertThat(whole).hasSize(4);
    assertThat(whole.get(1).data()).isEqualTo("{\"answer\":\"페트병은 라벨을 떼고 버리세요\"}");
    assertThat(whole.get(3).data()).isEqualTo("{\"a\":1}\n{\"b\":2}");
    for (int split = 1; split < bytes.length; split++) {
      List<SseFrame> frames = new ArrayList<>();
      SseParser parser = new SseParser(frames::add, () -> { });
      parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, split)));
      parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, split, bytes.length)));
      assertThat(frames).as("split at byte %d", split).hasSize(4);
      for (int i = 0; i < 4; i++) {
        assertThat(frames.get(i).data()).isEqualTo(whole.get(i).data());
        assertThat(frames.get(i).id()).isEqualTo(whole.get(i).id());
        assertThat(frames.get(i).comment()).isEqualTo(whole.get(i).comment());
      }
    }
  }

  @Test
  void fieldsAndCarriageReturnLineEndsAreRead() {
    List<SseFrame> frames = SseParser.parseAll("retry: 3000\r\n\r\nid: 7-1\r\nevent: vision\r\ndata: {}\r\n\r\n");
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).retry()).isEqualTo("3000");
    assertThat(frames.get(0).isEvent()).isFalse();
    assertThat(frames.get(1).id()).isEqualTo("7-1");
    assertThat(frames.get(1).event()).isEqualTo("vision");
    assertThat(frames.get(1).isEvent()).isTrue();
  }

  @Test
  void anIncompleteBlockWaitsForItsBlankLine() {
    List<SseFrame> frames = new ArrayList<>();
    SseParser parser = new SseParser(frames::add, () -> { });
    parser.feed(Buffer.buffer("id: 1-0\ndata: {}\n"));
    assertThat(frames).isEmpty();
    parser.feed(Buffer.buffer("\n"));
    assertThat(frames).hasSize(1);
  }

  @Test
  void aBlockOverTheLimitIsReportedAndDropped() {
    AtomicInteger overflows = new AtomicInteger();
    List<SseFrame> frames = new ArrayList<>();
    SseParser parser = new SseParser(frames::add, overflows::incrementAndGet);
    parser.feed(Buffer.buffer("data: " + "x".repeat(SseParser.MAX_BLOCK_BYTES)));
    assertThat(overflows).hasValue(1);
    parser.feed(Buffer.buffer("data: {}\n\n"));
    assertThat(frames).hasSize(1);
  }
}
