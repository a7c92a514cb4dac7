package io.eco2.engine.logging;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLineFormatterTest {

  private static LogRecord record(String message, Object... params) {
    LogRecord r = new LogRecord(Level.INFO, message);
    r.setLoggerName("io.eco2.test");
    r.setParameters(params);
    r.setMillis(1_700_000_000_123L);
    return r;
  }

  @Test
  void aRecordIsOneJsonObjectOnOneLineWithTimeLevelLoggerAndMessage() {
    String line = new JsonLineFormatter().format(record("two\nlines {0}", "x"));
    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("time")).isEqualTo("2023-11-14T22:13:20.123Z");
    assertThat(json.getString("level")).isEqualTo("INFO");
    assertThat(json.getString("logger")).isEqualTo("io.eco2.test");
    assertThat(json.getString("message")).isEqualTo("two\nlines x");
    assertThat(json.containsKey("job_id")).isFalse();
  }

  @Test
  void aJobRefParameterBecomesTheJobIdField() {
    JsonObject json = new JsonObject(new JsonLineFormatter().format(record("job {0} done", new JobRef("j-42"))));
    assertThat(json.getString("job_id")).isEqualTo("j-42");
    assertThat(json.getString("message")).isEqualTo("job j-42 done");
  }

  @Test
  void aThrowableIsKeptAsItsStackTrace() {
    LogRecord r = record("boom");
    r.setThrown(new IllegalStateException("broken pipe"));
    JsonObject json = new JsonObject(new JsonLineFormatter().format(r));
    assertThat(json.getString("error")).startsWith("java.lang.IllegalStateException: broken pipe").contains("\tat ");
  }
}
