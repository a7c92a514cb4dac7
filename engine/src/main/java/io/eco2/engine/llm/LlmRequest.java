package io.eco2.engine.llm;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One LLM call: which task it serves, the model, the prompts, an optional image and the JSON schema the
 * reply must satisfy.
 *
 * <p>{@code task} names the call for providers and metrics ({@code "vision"}, {@code "answer"}); a
 * simulated provider uses it and {@code input} to produce a plausible reply without a model.
 */
public final class LlmRequest {

  private final String task;
  private String model;
  private String systemPrompt = "";
  private String userPrompt = "";
  private String imageUrl;
  private JsonObject responseSchema;
  private JsonObject input = new JsonObject();
  private Future<Void> cancelled = Promise.<Void>promise().future();

  public LlmRequest(String task) {
    this.task = Objects.requireNonNull(task, "task");
  }

  public String task() { return task; }

  public String model() { return model; }
  public LlmRequest setModel(String model) { this.model = model; return this; }

  public String systemPrompt() { return systemPrompt; }
  public LlmRequest setSystemPrompt(String systemPrompt) { this.systemPrompt = systemPrompt; return this; }

  public String userPrompt() { return userPrompt; }
  public LlmRequest setUserPrompt(String userPrompt) { this.userPrompt = userPrompt; return this; }

  /** An image sent as input, or null. */
  public String imageUrl() { return imageUrl; }
  public LlmRequest setImageUrl(String imageUrl) { this.imageUrl = imageUrl; return this; }

  /** The JSON schema of the expected reply (OpenAI {@code response_format.json_schema.schema}), or null. */
  public JsonObject responseSchema() { return responseSchema; }
  public LlmRequest setResponseSchema(JsonObject responseSchema) { this.responseSchema = responseSchema; return this; }

  /** The structured data the prompts were built from (classification, rules, user input). */
  public JsonObject input() { return input; }
  public LlmRequest setInput(JsonObject input) { this.input = input == null ? new JsonObject() : input; return this; }

  /** Completes when the caller gives up: the provider must abandon the call. */
  public Future<Void> cancelled() { return cancelled; }
  public LlmRequest setCancelled(Future<Void> cancelled) { this.cancelled = Objects.requireNonNull(cancelled); return this; }
}
