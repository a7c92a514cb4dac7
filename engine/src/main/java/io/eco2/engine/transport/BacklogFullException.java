package io.eco2.engine.transport;

/** A stage's backlog is at its bound: the work was not accepted. Submit maps it to 429 {@code OVERLOADED}. */
public class BacklogFullException extends RuntimeException {

  private final String stage;
  private final long limit;

  public BacklogFullException(String stage, long limit) {
    super("backlog of stage '" + stage + "' is full (" + limit + " jobs waiting)", null, false, false);
    this.stage = stage;
    this.limit = limit;
  }

  public String stage() {
    return stage;
  }

  public long limit() {
    return limit;
  }
}
