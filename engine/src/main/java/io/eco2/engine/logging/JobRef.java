package io.eco2.engine.logging;

/**
 * A job id passed as a log record parameter: text lines show it where the message says {@code {0}}, JSON
 * lines also carry it as their {@code job_id} field, so a cluster's log search finds every line of one job.
 *
 * @param jobId the job's id
 */
public record JobRef(String jobId) {

  @Override
  public String toString() {
    return jobId;
  }
}
