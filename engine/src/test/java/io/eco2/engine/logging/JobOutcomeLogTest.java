package io.eco2.engine.logging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class JobOutcomeLogTest {

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger logger = Logger.getLogger(JobOutcomeLog.LOGGER);
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };
  private Level before;

  @BeforeEach
  void capture() {
    before = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(capture);
  }

  @AfterEach
  void restore() {
    logger.removeHandler(capture);
    logger.setLevel(before);
    JobOutcomeLog.setLevel(JobOutcomeLog.DEFAULT_LEVEL);
  }

  @Test
  void anOutcomeIsOneInfoLineNamingJobStageOutcomeTimeAndAttempt() {
    JobOutcomeLog.outcome("job-1", "vision", "retrying", 4512, 0, "LLM_TIMEOUT took too long (again in 1000 ms)");
    assertThat(records).hasSize(1);
    LogRecord r = records.get(0);
    assertThat(r.getLevel()).isEqualTo(Level.INFO);
    assertThat(r.getParameters()[0]).isEqualTo(new JobRef("job-1"));
    assertThat(new SimpleFormatter().formatMessage(r))
      .isEqualTo("job job-1 stage vision retrying after 4512 ms (attempt 1): LLM_TIMEOUT took too long (again in 1000 ms)");
  }

  @Test
  void theConfiguredLevelIsTheLinesLevel() {
    JobOutcomeLog.setLevel("debug");
    JobOutcomeLog.outcome("job-2", "rule", "completed", 3, 1, null);
    assertThat(records).singleElement().satisfies(r -> assertThat(r.getLevel()).isEqualTo(Level.FINE));
  }

  @Test
  void offLogsNothing() {
    JobOutcomeLog.setLevel("OFF");
    JobOutcomeLog.outcome("job-3", "answer", "failed", 10, 2, "INVALID_LLM_OUTPUT x");
    assertThat(records).isEmpty();
  }
}
