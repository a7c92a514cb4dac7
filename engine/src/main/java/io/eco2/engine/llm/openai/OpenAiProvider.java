package io.eco2.engine.llm.openai;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmReply;
import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.llm.ratelimit.RateLimitGate;
import io.eco2.engine.llm.ratelimit.RateLimiter;
import io.eco2.engine.stage.StageFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * An {@link LlmProvider} speaking the OpenAI Chat Completions API ({@code POST {base-url}/chat/completions})
 * to OpenAI or any compatible server (vLLM, Ollama, a gateway).
 *
 * <p>One call: wait for the model's budget at the {@link RateLimitGate} (reserving an estimate of the
 * tokens), send, read the reply, correct the reservation from {@code usage}. A 429 pauses the model's
 * budget for every caller (sharing it with every process when the limiter is Redis-backed) for its
 * {@code Retry-After}; 429, 408/409, 5xx and connection errors are retried inside the call up to
 * {@code llm.max-retries} times with doubling backoff (at least the {@code Retry-After}); what is left then
 * fails retryably, and the engine's stage retry takes over. Other 4xx fail at once. See {@link ChatReplies}
 * for the codes.
 *
 * <p>Cancellation ({@link LlmRequest#cancelled()}: the stage timed out or the engine shuts down) resets the
 * HTTP request, closing its connection, so a hung provider holds nothing. {@code llm.response-timeout-ms}
 * does the same on its own. The core {@link HttpClientAgent} is used rather than the web client because
 * cancelling needs the {@link HttpClientRequest}, which the web client does not expose. Bounded: at most
 * {@code llm.max-connections} requests in flight and {@code llm.max-wait-queue} waiting for a connection,
 * both by default the LLM stages' own concurrency ({@link LlmCapacity}), so no call waits for a connection;
 * a call that finds the wait queue full, or waits longer than connect + response timeout for a connection,
 * fails retryably with {@value #CLIENT_BUSY} and a message saying so (never as "cannot reach": the server
 * may be fine). Response bodies over
 * {@value #MAX_RESPONSE_BYTES} bytes are cut off.
 *
 * <p>The API key goes only into the {@code Authorization} header: it is never logged, and provider messages
 * that echo it are masked before they reach an event.
 */
public final class OpenAiProvider implements LlmProvider {

  public static final String TIMEOUT = "LLM_TIMEOUT";
  public static final String CLIENT_BUSY = "LLM_CLIENT_BUSY";
  public static final String CANCELLED = "CANCELLED";
  static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  private static final System.Logger LOG = System.getLogger(OpenAiProvider.class.getName());

  private final Vertx vertx;
  private final RateLimitGate gate;
  private final MeterRegistry registry;
  private final HttpClientAgent client;
  private final Map<String, Counter> calls = new ConcurrentHashMap<>();
  private volatile OpenAiConfig config;

  public OpenAiProvider(Vertx vertx, OpenAiConfig config, RateLimitGate gate, MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.gate = gate;
    this.registry = registry;
    this.client = vertx.httpClientBuilder()
      .with(new HttpClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
        .setKeepAlive(true).setTcpNoDelay(true))
      .with(new PoolOptions().setHttp1MaxSize(config.maxConnections()).setMaxWaitQueueSize(config.maxWaitQueue()))
      .build();
  }
  /** The rate-limit gate's waits. */
  @Override
  public io.eco2.engine.llm.QuotaLoad quotaLoad() {
    return gate;
  }


  /** Reads {@code llm.api-key-file} (on a worker thread) when no key was given directly. */
  @Override
  public Future<Void> start() {
    OpenAiConfig c = config;
    Future<Void> ready;
    if (c.apiKey().isEmpty() && !c.apiKeyFile().isEmpty()) {
      ready = vertx.executeBlocking(() -> readKey(c.apiKeyFile())).map(key -> {
        config = c.withApiKey(key);
        return null;
      });
    } else {
      ready = Future.succeededFuture();
    }
    return ready.onSuccess(v -> {
      OpenAiConfig now = config;
      String key = now.apiKey().isEmpty() ? "none (no Authorization header)" : !c.apiKey().isEmpty() ? "set" : "from " + now.apiKeyFile();
      LOG.log(now.apiKey().isEmpty() ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
        "llm openai: base-url " + now.baseUrl() + ", api key " + key + ", pool " + now.maxConnections()
          + " connections / " + now.maxWaitQueue() + " waiting, limits per model: "
          + describe(now.limits().requestsPerWindow(), "requests") + ", " + describe(now.limits().tokensPerWindow(), "tokens")
          + " per minute");
    });
  }

  private static String readKey(String file) {
    String key;
    try {
      key = Files.readString(Path.of(file)).strip();
    } catch (Exception e) {
      // The exception names the file and the reason, never the content.
      throw new IllegalArgumentException("llm.api-key-file: cannot read " + file + ": " + e.getClass().getSimpleName());
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("llm.api-key-file: " + file + " is empty");
    }
    return key;
  }

  private static String describe(long limit, String what) {
    return limit == 0 ? "unlimited " + what : limit + " " + what;
  }

  @Override
  public Future<LlmReply> complete(LlmRequest request) {
    String model = request.model() == null || request.model().isBlank() ? config.defaultModel() : request.model();
    OpenAiConfig c = config;
    Buffer body = ChatRequests.body(request, model, c.maxOutputTokens()).toBuffer();
    long estimate = ChatRequests.estimateTokens(request, c.maxOutputTokens());
    Promise<LlmReply> promise = Promise.promise();
    attempt(request, model, body, estimate, 0, promise);
    return promise.future();
  }

  private void attempt(LlmRequest request, String model, Buffer body, long estimate, int retry, Promise<LlmReply> promise) {
    gate.acquire(model, estimate, request.cancelled())
      .compose(reservation -> send(request, body, model).transform(ar -> {
        ChatReplies.Outcome o = ar.succeeded() ? ar.result() : new ChatReplies.Outcome(null, StageFailure.of(ar.cause()), -1);
        if (o.usedTokens() >= 0) {
          gate.limiter().correct(reservation, o.usedTokens());
        }
        return o.failure() == null ? Future.succeededFuture(o.reply()) : Future.<LlmReply>failedFuture(o.failure());
      }))
      .onSuccess(promise::tryComplete)
      .onFailure(err -> {
        StageFailure f = StageFailure.of(err);
        if (ChatReplies.RATE_LIMITED.equals(f.code())) {
          // Everyone holds off, not only this call: that is what keeps a burst from turning into a storm.
          Duration pause = f.retryAfter().isZero() ? config.backoffInitial() : f.retryAfter();
          gate.limiter().pause(model, pause);
        }
        Duration wait = retryDelay(f, retry);
        if (wait == null || request.cancelled().isComplete()) {
          promise.tryFail(f);
          return;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "llm openai: " + f.code() + " for " + request.task() + ", retry "
          + (retry + 1) + " in " + wait.toMillis() + " ms");
        long timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> attempt(request, model, body, estimate, retry + 1, promise));
        request.cancelled().onComplete(v -> {
          vertx.cancelTimer(timer);
          promise.tryFail(f);
        });
      });
  }

  /** The delay before in-call retry {@code retry + 1}, or null when this failure is not retried here. */
  private Duration retryDelay(StageFailure f, int retry) {
    OpenAiConfig c = config;
    boolean transientFailure = ChatReplies.RATE_LIMITED.equals(f.code()) || ChatReplies.UNAVAILABLE.equals(f.code());
    if (!transientFailure || retry >= c.maxRetries()) {
      return null;
    }
    long base = Math.min(c.backoffMax().toMillis(), c.backoffInitial().toMillis() << Math.min(20, retry));
    long jittered = Math.round(base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    long wait = Math.max(jittered, f.retryAfter().toMillis());
    // A provider asking for more than we would ever back off: give the slot back, let the stage retry later.
    return wait > c.backoffMax().toMillis() ? null : Duration.ofMillis(wait);
  }

  private Future<ChatReplies.Outcome> send(LlmRequest request, Buffer body, String model) {
    OpenAiConfig c = config;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
      .setHost(c.host()).setPort(c.port()).setSsl(c.ssl()).setURI(c.path() + "/chat/completions")
      // Not the TCP connect timeout (that one is the client's): this bounds the wait for a pooled connection,
      // which may include connecting. Longer than the connect timeout, so the two cannot be confused.
      .setConnectTimeout(poolWait(c).toMillis())
      .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json");
    if (!c.apiKey().isEmpty()) {
      options.putHeader("Authorization", "Bearer " + c.apiKey());
    }
    Promise<ChatReplies.Outcome> outcome = Promise.promise();
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        outcome.tryFail(connectionFailure(ar.cause(), c));
        count(model, outcome);
        return;
      }
      HttpClientRequest http = ar.result();
      if (request.cancelled().isComplete()) {
        http.reset();
        outcome.tryFail(cancelled());
        return;
      }
      long timer = vertx.setTimer(c.responseTimeout().toMillis(), id -> {
        if (outcome.tryFail(StageFailure.retryable(TIMEOUT, "llm: no complete response within "
          + c.responseTimeout().toMillis() + " ms (llm.response-timeout-ms)"))) {
          http.reset();
        }
      });
      request.cancelled().onComplete(v -> {
        if (outcome.tryFail(cancelled())) {
          http.reset();
        }
      });
      http.send(body)
        .compose(response -> readBody(response, http).map(buf -> ChatReplies.read(response.statusCode(), response.headers(), buf, model, c.apiKey())))
        .onComplete(r -> {
          vertx.cancelTimer(timer);
          if (r.succeeded()) {
            outcome.tryComplete(r.result());
          } else {
            outcome.tryFail(connectionFailure(r.cause(), c));
          }
        });
      count(model, outcome);
    });
    return outcome.future();
  }

  // Reads the body, but no more than MAX_RESPONSE_BYTES of it: a runaway response must not fill the heap.
  private static Future<Buffer> readBody(HttpClientResponse response, HttpClientRequest http) {
    Promise<Buffer> p = Promise.promise();
    Buffer buf = Buffer.buffer();
    response.handler(chunk -> {
      if (buf.length() + chunk.length() > MAX_RESPONSE_BYTES) {
        if (p.tryFail(StageFailure.retryable(ChatReplies.INVALID_OUTPUT, "llm: response larger than "
          + MAX_RESPONSE_BYTES + " bytes"))) {
          http.reset();
        }
        return;
      }
      buf.appendBuffer(chunk);
    });
    response.exceptionHandler(p::tryFail);
    response.endHandler(v -> p.tryComplete(buf));
    return p.future();
  }

  /** How long a call may wait for a pooled connection: a connect plus as long as a whole response may take. */
  static Duration poolWait(OpenAiConfig c) {
    return c.connectTimeout().plus(c.responseTimeout());
  }

  static StageFailure connectionFailure(Throwable cause, OpenAiConfig c) {
    if (cause instanceof StageFailure f) {
      return f;
    }
    if (cause instanceof ConnectionPoolTooBusyException) {
      return StageFailure.retryable(CLIENT_BUSY, "llm: " + c.maxConnections() + " connections to " + c.host() + ":"
        + c.port() + " busy and " + c.maxWaitQueue() + " calls already waiting for one (llm.max-connections, "
        + "llm.max-wait-queue; 0 makes both follow the LLM stages' concurrency)");
    }
    if (cause instanceof TimeoutException) {
      // The pool's acquisition timer, not the network: the server may be perfectly reachable.
      return StageFailure.retryable(CLIENT_BUSY, "llm: waited " + poolWait(c).toMillis() + " ms for one of the "
        + c.maxConnections() + " pooled connections to " + c.host() + ":" + c.port() + ", all busy (llm.max-connections;"
        + " 0 makes it follow the LLM stages' concurrency)");
    }
    String msg = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return StageFailure.retryable(ChatReplies.UNAVAILABLE, "llm: cannot reach " + c.baseUrl() + ": " + msg);
  }

  private static StageFailure cancelled() {
    return StageFailure.retryable(CANCELLED, "llm: call cancelled by the caller");
  }

  private void count(String model, Promise<ChatReplies.Outcome> outcome) {
    outcome.future().onComplete(ar -> {
      String result;
      if (ar.failed()) {
        result = StageFailure.of(ar.cause()).code();
      } else {
        result = ar.result().failure() == null ? "OK" : ar.result().failure().code();
      }
      calls.computeIfAbsent(model + "|" + result, k -> Counter.builder("llm.calls")
        .description("HTTP calls to the LLM provider by outcome code (OK or a failure code)")
        .tag("model", model).tag("outcome", result).register(registry)).increment();
    });
  }

  @Override
  public Future<Void> close() {
    return client.close().compose(v -> gate.limiter().close());
  }

  /** The configuration in use (the key read from its file after {@link #start()}). */
  OpenAiConfig config() {
    return config;
  }

  /** For tests: the request body a call would send. */
  static JsonObject bodyOf(LlmRequest request, String model, int maxOutputTokens) {
    return ChatRequests.body(request, model, maxOutputTokens);
  }
}
