package io.eco2.tests.load;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How an iteration ended, judged from the result the user fetched and (stream mode) what its stream showed.
 * The rules, in order (docs/BENCHMARKS.md, "Outcomes"):
 * <ol>
 *   <li>result not 200, not JSON, or {@code status} not {@code completed}: FAILED;</li>
 *   <li>poll mode: COMPLETED when the result holds every stage's output, else PARTIAL;</li>
 *   <li>stream mode: the stream broke or ended without a terminal frame, or ended with an {@code error} frame
 *       on a job that completed ({@code STREAM_TIMEOUT}), or some stage sent no {@code completed}: PARTIAL;</li>
 *   <li>otherwise ({@code done} seen, every stage completed, result completed): COMPLETED.</li>
 * </ol>
 *
 * @param outcome    the outcome
 * @param reason     why it is partial or failed (null when completed)
 * @param resultRead whether a completed result was read (then the two flags below mean something)
 * @param rewardNull the result's {@code reward} is null
 * @param degraded   the result's {@code degraded} is not empty
 */
public record Verdict(RunStats.Outcome outcome, String reason, boolean resultRead, boolean rewardNull,
                      boolean degraded) {

  static Verdict failed(String reason) {
    return new Verdict(RunStats.Outcome.FAILED, reason, false, false, false);
  }

  /**
   * @param status        the result request's HTTP status
   * @param body          its body
   * @param checker       the stream's checker, null in poll mode
   * @param streamProblem non-null when the stream failed before its terminal frame
   */
  public static Verdict judge(int status, Buffer body, StreamChecker checker, String streamProblem) {
    if (status != 200) {
      return failed("result_" + status);
    }
    JsonObject result;
    try {
      result = body.toJsonObject();
    } catch (RuntimeException e) {
      return failed("result_not_json");
    }
    if (!"completed".equals(result.getString("status"))) {
      Object error = result.getValue("error");
      String code = error instanceof JsonObject e ? e.getString("code") : "?";
      return failed("job_failed: " + code);
    }
    Object degradedValue = result.getValue("degraded");
    boolean degraded = degradedValue instanceof JsonArray a && !a.isEmpty();
    boolean rewardNull = result.getValue("reward") == null;
    RunStats.Outcome outcome;
    String reason = null;
    if (checker == null) {
      Object prValue = result.getValue("pipeline_result");
      JsonObject pr = prValue instanceof JsonObject o ? o : new JsonObject();
      boolean whole = pr.getValue("classification_result") != null && pr.containsKey("disposal_rules")
        && pr.getValue("final_answer") != null && result.containsKey("reward");
      outcome = whole ? RunStats.Outcome.COMPLETED : RunStats.Outcome.PARTIAL;
      reason = whole ? null : "result_incomplete";
    } else if (streamProblem != null || checker.terminal() == null) {
      outcome = RunStats.Outcome.PARTIAL;
      reason = streamProblem != null ? streamProblem : "no_terminal";
    } else if (!"done".equals(checker.terminal().event())) {
      outcome = RunStats.Outcome.PARTIAL;
      reason = "stream_" + checker.terminalCode();
    } else if (!checker.allStagesCompleted()) {
      outcome = RunStats.Outcome.PARTIAL;
      reason = "stage_missing";
    } else {
      outcome = RunStats.Outcome.COMPLETED;
    }
    return new Verdict(outcome, reason, true, rewardNull, degraded);
  }
}
