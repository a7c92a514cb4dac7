package io.eco2.scan.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What a scan submit is checked against: the default question ({@code api.default-user-input}) and the
 * models a request may name ({@code llm.models}, {@code llm.default-model}).
 */
final class ScanApiOptions {

  static final String DEFAULT_USER_INPUT = "이 폐기물을 어떻게 분리배출해야 하나요?";
  static final List<String> DEFAULT_MODELS = List.of("gpt-5.2", "gpt-5.2-mini", "gpt-4.1-mini");
  static final String DEFAULT_MODEL = "gpt-5.2";

  private final String defaultUserInput;
  private final List<String> models;
  private final String defaultModel;

  /** Reads the validated engine configuration. */
  ScanApiOptions(JsonObject config) {
    JsonObject api = config.getJsonObject("api", new JsonObject());
    JsonObject llm = config.getJsonObject("llm", new JsonObject());
    defaultUserInput = api.getString("default-user-input", DEFAULT_USER_INPUT);
    JsonArray configured = llm.getJsonArray("models");
    models = configured == null ? DEFAULT_MODELS : configured.stream().map(String::valueOf).toList();
    defaultModel = llm.getString("default-model", DEFAULT_MODEL);
  }

  String defaultUserInput() {
    return defaultUserInput;
  }

  List<String> models() {
    return models;
  }

  String defaultModel() {
    return defaultModel;
  }
}
