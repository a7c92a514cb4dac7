package io.eco2.engine.transport.rabbitmq;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every retry delay rounds up to a delay queue that is due within max(10 %, 100 ms) of it, never early. */
class DelayLadderTest {

  @Test
  void everyDelayUpToAnHourRoundsUpByLessThanATenthOrAHundredMilliseconds() {
    for (long d = 1; d <= 3_600_000; d += d < 20_000 ? 1 : 97) {
      long rung = DelayLadder.rungAtLeast(d);
      assertThat(rung).as("rung of %d ms", d).isGreaterThanOrEqualTo(d);
      assertThat(rung - d).as("rung of %d ms", d).isLessThan(Math.max(d / 10, 100) + 1);
    }
  }

  @Test
  void theRungsOfAStageAreFew() {
    // vision's defaults: backoff up to 2 s with 20 % jitter
    assertThat(DelayLadder.covering(100, 2400)).hasSize(20).startsWith(100L, 200L).endsWith(2591L);
  }
}
