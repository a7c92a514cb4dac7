package io.eco2.scan.api;

import io.eco2.engine.config.EngineOptions;

import java.util.List;

/**
 * What a scan submit is checked against: the default question ({@code api.default-user-input}) and the
 * models a request may name ({@code llm.models}, {@code llm.default-model}); their defaults are the Eco²
 * defaults layer's ({@link io.eco2.scan.EcoDefaults}).
 */
final class ScanApiOptions {

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
