package io.eco2.engine.runtime;

import io.vertx.core.json.JsonObject;

/**
 * What a submit's idempotency key holds: the submit response and, until the first stage's message is
 * confirmed by the transport, that the submit is {@code pending}, since when, and the request, so that a
 * replay can admit the same job again when the first submit died half-way.
 *
 * <p>A record written before pending records existed is the bare response: it reads as confirmed.
 *
 * @param response the submit response (its {@code job_id} is the job's id for every replay)
 * @param pending whether the first stage's message may not have been confirmed yet
 * @param since epoch ms the latest admission of the job began
 * @param request the job's data as submitted (null once confirmed: nothing needs it any more)
 */
record SubmitRecord(JsonObject response, boolean pending, long since, JsonObject request) {

  static SubmitRecord pending(JsonObject response, JsonObject request, long now) {
    return new SubmitRecord(response, true, now, request);
  }

  static SubmitRecord fromJson(JsonObject json) {
    JsonObject response = json.getJsonObject("response");
    if (response == null) {
      return new SubmitRecord(json, false, 0, null);
    }
    return new SubmitRecord(response, "pending".equals(json.getString("state")), json.getLong("since", 0L),
      json.getJsonObject("request"));
  }

  String jobId() {
    return response.getString("job_id");
  }

  /** The same pending record, its admission begun again at {@code now} (replays wait for this one). */
  SubmitRecord readmitted(long now) {
    return new SubmitRecord(response, true, now, request);
  }

  SubmitRecord confirmed() {
    return new SubmitRecord(response, false, since, null);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("state", pending ? "pending" : "confirmed").put("since", since)
      .put("response", response);
    if (request != null) {
      json.put("request", request);
    }
    return json;
  }
}
