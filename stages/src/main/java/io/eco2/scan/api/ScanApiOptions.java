package io.eco2.scan.api;

import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.http.ApiOptions;
import io.eco2.engine.llm.LlmOptions;

import java.util.List;

/**
 * What a scan submit is checked against: the default question ({@code api.default-user-input}) and the
 * models a request may name ({@code llm.models}, {@code llm.default-model}).
 */
final class ScanApiOptions {

  // One source for each default: the constants the configuration schema registers.
  static final String DEFAULT_USER_INPUT = ApiOptions.DEFAULT_USER_INPUT;
  static final List<String> DEFAULT_MODELS = LlmOptions.DEFAULT_MODELS;
  static final String DEFAULT_MODEL = LlmOptions.DEFAULT_DEFAULT_MODEL;

  private final String defaultUserInput;
  private final List<String> models;
  private final String defaultModel;

  /** Reads the engine's typed configuration. */
  ScanApiOptions(EngineOptions config) {
    defaultUserInput = config.getApi().defaultUserInput();
    models = config.getLlm().getModels();
    defaultModel = config.getLlm().getDefaultModel();
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
