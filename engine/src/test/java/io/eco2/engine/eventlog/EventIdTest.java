package io.eco2.engine.eventlog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventIdTest {

  @Test
  void parsesRedisStreamIds() {
    assertThat(EventId.parse("1766814748351-7")).isEqualTo(new EventId(1766814748351L, 7));
    assertThat(EventId.parse("1766814748351")).isEqualTo(new EventId(1766814748351L, 0));
  }

  @Test
  void ordersByMillisThenSequence() {
    assertThat(EventId.parse("5-10").isAfter(EventId.parse("5-9"))).isTrue();
    assertThat(EventId.parse("6-0").isAfter(EventId.parse("5-99"))).isTrue();
  }

  @Test
  void nextIsStrictlyGreaterEvenWhenTheClockStandsStillOrGoesBack() {
    EventId a = EventId.next(null, 1000);
    EventId b = EventId.next(a, 1000);
    EventId c = EventId.next(b, 999);
    assertThat(b.isAfter(a)).isTrue();
    assertThat(c.isAfter(b)).isTrue();
  }

  @Test
  void rejectsTextThatIsNoIdNamingIt() {
    assertThatThrownBy(() -> EventId.parse("abc-1")).hasMessageContaining("'abc-1'");
    assertThatThrownBy(() -> EventId.parse("-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClientsIdMustBeExactlyMillisDashSequenceWithinRange() {
    assertThat(EventId.parseStrict("1766814748351-7")).isEqualTo(new EventId(1766814748351L, 7));
    assertThat(EventId.parseStrict("0-0")).isEqualTo(EventId.ZERO);
    for (String bad : new String[] {"12345", "+1-+1", "1-+1", " 1-1", "1-1 ", "-1", "1-", "1--1", "1-1-1", "a-1", "１-1",
      "9223372036854775808-0", "0-9223372036854775808", ""}) {
      assertThatThrownBy(() -> EventId.parseStrict(bad)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
