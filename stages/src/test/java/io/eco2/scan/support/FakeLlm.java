package io.eco2.scan.support;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmReply;
import io.eco2.engine.llm.LlmRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** An LLM whose reply the test chooses, and which remembers every request it got. */
public final class FakeLlm implements LlmProvider {

  private final Function<LlmRequest, JsonObject> reply;
  private final List<LlmRequest> requests = new CopyOnWriteArrayList<>();

  public FakeLlm(Function<LlmRequest, JsonObject> reply) {
    this.reply = reply;
  }

  /** A provider that always answers {@code content}. */
  public static FakeLlm replying(JsonObject content) {
    return new FakeLlm(r -> content.copy());
  }

  /** A provider that answers {@code contents} in turn, the last one again once they are used up. */
  public static FakeLlm replyingInTurn(JsonObject... contents) {
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    return new FakeLlm(r -> contents[Math.min(next.getAndIncrement(), contents.length - 1)].copy());
  }

  /** A provider that fails the test's expectations if it is ever asked. */
  public static FakeLlm unused() {
    return new FakeLlm(r -> new JsonObject());
  }

  @Override
  public Future<LlmReply> complete(LlmRequest request) {
    requests.add(request);
    return Future.succeededFuture(new LlmReply(reply.apply(request), "fake", 1, 1));
  }

  public int calls() {
    return requests.size();
  }

  public List<LlmRequest> requests() {
    return requests;
  }
}
