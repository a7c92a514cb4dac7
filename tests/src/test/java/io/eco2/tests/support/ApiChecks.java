package io.eco2.tests.support;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions and small conveniences shared by the HTTP API and SSE tests. */
public final class ApiChecks {

  private ApiChecks() {
  }

  /** A submit body with the given image URL and user input (null leaves the field out). */
  public static JsonObject scan(String imageUrl, String userInput) {
    JsonObject body = new JsonObject();
    if (imageUrl != null) {
      body.put("image_url", imageUrl);
    }
    if (userInput != null) {
      body.put("user_input", userInput);
    }
    return body;
  }

  /** A valid submit body carrying probe directives. */
  public static JsonObject scan(String userInput) {
    return scan("https://example.com/bottle.jpg", userInput);
  }

  /**
   * Asserts that {@code r} is the contract's error answer: the status, a JSON content type, and a body that
   * is exactly {@code {"detail": <non-blank string>, "code": code}}. Returns the detail.
   */
  public static String assertApiError(HttpResponse<Buffer> r, int status, String code) {
    String body = r.bodyAsString();
    assertThat(r.statusCode()).as("status of %s", body).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).as("Content-Type of %s", body).startsWith("application/json");
    JsonObject json = new JsonObject(body);
    assertThat(json.fieldNames()).as("fields of %s", body).containsExactlyInAnyOrder("detail", "code");
    assertThat(json.getValue("code")).as("code of %s", body).isEqualTo(code);
    assertThat(json.getValue("detail")).as("detail of %s", body).isInstanceOf(String.class);
    assertThat(json.getString("detail")).as("detail of %s", body).isNotBlank();
    return json.getString("detail");
  }

  /**
   * The value of an unlabelled sample {@code name} in Prometheus text, or of the one whose labels contain
   * {@code labelFragment} (like {@code outcome="completed"}); NaN when absent.
   */
  public static double metric(String prometheusText, String name, String labelFragment) {
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      String rest = line.substring(name.length());
      boolean labelled = rest.startsWith("{");
      if (!labelled && !rest.startsWith(" ")) {
        continue;
      }
      if (labelFragment != null && !(labelled && rest.substring(0, rest.indexOf('}') + 1).contains(labelFragment))) {
        continue;
      }
      return Double.parseDouble(rest.substring(rest.lastIndexOf(' ') + 1));
    }
    return Double.NaN;
  }

  public static double metric(EmbeddedEngine engine, String name, String labelFragment) {
    HttpResponse<Buffer> r = engine.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    return metric(r.bodyAsString(), name, labelFragment);
  }
}
