package io.eco2.tests.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line: defaults, every option, the one-line errors, and the ramp schedule. */
class LoadOptionsTest {

  @Test
  void defaultsAreTheIssuesScenario() {
    LoadOptions o = LoadOptions.parse();
    assertThat(o.url().toString()).isEqualTo("http://127.0.0.1:8080");
    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.users()).isEqualTo(50);
    assertThat(o.rampUp()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.hold()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.rampDown()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.mode()).isEqualTo(LoadOptions.Mode.STREAM);
    assertThat(o.thinkMin()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.thinkMax()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.pollInterval()).isEqualTo(Duration.ofMillis(2500));
    assertThat(o.hardStop()).isEqualTo(Duration.ofSeconds(180));
    assertThat(o.out()).isNull();
    assertThat(o.imageUrls()).isEqualTo("builtin");
  }

  @Test
  void everyOptionIsRead() {
    LoadOptions o = LoadOptions.parse("--url", "http://10.0.0.5:9090/", "--users", "2000", "--ramp-up", "2m",
      "--hold=90s", "--ramp-down", "1500ms", "--grace", "5", "--mode", "POLL", "--think", "500ms-1.5s",
      "--poll-interval", "2s", "--iteration-timeout", "1m", "--trickle", "2.5", "--out", "results/run.json",
      "--image-urls", "urls.txt", "--label", "embedded");
    assertThat(o.url().getHost()).isEqualTo("10.0.0.5");
    assertThat(o.port()).isEqualTo(9090);
    assertThat(o.users()).isEqualTo(2000);
    assertThat(o.rampUp()).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.hold()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.rampDown()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.grace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.mode()).isEqualTo(LoadOptions.Mode.POLL);
    assertThat(o.thinkMin()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.thinkMax()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.pollInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.iterationTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(o.trickleRate()).isEqualTo(2.5);
    assertThat(o.out()).isEqualTo("results/run.json");
    assertThat(o.imageUrls()).isEqualTo("urls.txt");
    assertThat(o.label()).isEqualTo("embedded");
  }

  @Test
  void idleStreamsFollowTheNewestJobUnlessToldToSpread() {
    assertThat(LoadOptions.parse().spreadWatchers()).isFalse();
    assertThat(LoadOptions.parse("--watch", "spread").spreadWatchers()).isTrue();
    assertThat(LoadOptions.parse("--watch", "newest").spreadWatchers()).isFalse();
    assertThatThrownBy(() -> LoadOptions.parse("--watch", "all")).hasMessageStartingWith("--watch:");
  }

  @Test
  void aSingleThinkValueAndZeroAreAccepted() {
    assertThat(LoadOptions.parse("--think", "0").thinkMax()).isEqualTo(Duration.ZERO);
    LoadOptions o = LoadOptions.parse("--think", "3s");
    assertThat(o.thinkMin()).isEqualTo(o.thinkMax()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void badValuesFailWithOneLineNamingTheOption() {
    assertThatThrownBy(() -> LoadOptions.parse("--users", "0")).hasMessage("--users: must be an integer between 1 and 50000, got \"0\"");
    assertThatThrownBy(() -> LoadOptions.parse("--users", "many")).hasMessageStartingWith("--users:");
    assertThatThrownBy(() -> LoadOptions.parse("--hold", "soon")).hasMessage("--hold: not a duration (like 30s, 2m, 500ms): \"soon\"");
    assertThatThrownBy(() -> LoadOptions.parse("--think", "2s-1s")).hasMessageStartingWith("--think: the upper bound");
    assertThatThrownBy(() -> LoadOptions.parse("--mode", "burst")).hasMessage("--mode: must be stream, poll or idle, got \"burst\"");
    assertThatThrownBy(() -> LoadOptions.parse("--url", "ftp://x")).hasMessageStartingWith("--url:");
    assertThatThrownBy(() -> LoadOptions.parse("--poll-interval", "0s")).hasMessage("--poll-interval: must be positive");
    assertThatThrownBy(() -> LoadOptions.parse("--trickle", "0")).hasMessageStartingWith("--trickle:");
    assertThatThrownBy(() -> LoadOptions.parse("--users")).hasMessage("--users: needs a value");
    assertThatThrownBy(() -> LoadOptions.parse("--speed", "9")).hasMessage("--speed: unknown option (--help lists them)");
    assertThatThrownBy(() -> LoadOptions.parse("--help")).hasMessageStartingWith("usage:");
  }

  @Test
  void usersStartEvenlyOverTheRampUpAndTheLastStartedStopFirst() {
    LoadOptions o = LoadOptions.parse("--users", "4", "--ramp-up", "40s", "--hold", "60s", "--ramp-down", "20s");
    assertThat(o.startMillis(0)).isEqualTo(0);
    assertThat(o.startMillis(1)).isEqualTo(10_000);
    assertThat(o.startMillis(3)).isEqualTo(30_000);
    assertThat(o.stopMillis(3)).isEqualTo(100_000);
    assertThat(o.stopMillis(0)).isEqualTo(115_000);
    assertThat(o.stopMillis(0)).isLessThan(120_000);
  }
}
