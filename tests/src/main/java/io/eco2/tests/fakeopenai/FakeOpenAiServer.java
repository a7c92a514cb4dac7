package io.eco2.tests.fakeopenai;

import io.eco2.scan.llm.LogNormalLatency;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * An OpenAI-compatible Chat Completions server for tests and benchmarks: {@code POST …/chat/completions}
 * answers the engine's vision and answer prompts with realistic structured replies (see
 * {@link FakeReplies}) after a log-normal latency, and misbehaves on demand: 429 with {@code Retry-After},
 * 500, hangs, malformed JSON and categories off the taxonomy, each at a configured rate, or exactly as
 * {@linkplain #script scripted} for the next requests. {@code GET /stats} reports what it saw ({@link FakeOpenAiStats}).
 *
 * <p>A library in tests ({@link #start}) and a process for the benchmark ({@link #main}). Checks
 * {@code Authorization: Bearer <key>} when a key is configured; the 401 echoes the key it got, as some
 * servers do, so that tests can check the engine masks it.
 */
public final class FakeOpenAiServer {

  // A body larger than any prompt of ours; bigger ones are refused rather than buffered.
  private static final int MAX_BODY_BYTES = 1024 * 1024;
  static final int MAX_RECENT_BODIES = 32;

  private final Vertx vertx;
  private final FakeOpenAiOptions options;
  private final FakeOpenAiStats stats = new FakeOpenAiStats();
  private final Queue<Fault> script = new ConcurrentLinkedQueue<>();
  // Requests left unanswered on purpose; each leaves when its client closes the connection.
  private final java.util.Set<HttpServerRequest> hangingRequests = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final FakeReplies replies = new FakeReplies();
  // The latest request bodies per task, for tests that check what the engine sent; bounded for benchmarks.
  private final Map<String, Deque<JsonObject>> recentBodies = new ConcurrentHashMap<>();
  private final LogNormalLatency vision;
  private final LogNormalLatency answer;
  private final DoubleSupplier uniform;
  private final DoubleSupplier gaussian;
  private HttpServer server;

  private FakeOpenAiServer(Vertx vertx, FakeOpenAiOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.vision = LogNormalLatency.fit(options.visionMeanMs(), options.visionP99Ms(), "vision-mean-ms", "vision-p99-ms");
    this.answer = LogNormalLatency.fit(options.answerMeanMs(), options.answerP99Ms(), "answer-mean-ms", "answer-p99-ms");
    if (options.seed() == null) {
      uniform = () -> ThreadLocalRandom.current().nextDouble();
      gaussian = () -> ThreadLocalRandom.current().nextGaussian();
    } else {
      Random r = new Random(options.seed());
      uniform = r::nextDouble;
      gaussian = r::nextGaussian;
    }
  }

  /** Starts a server on {@code vertx}. */
  public static Future<FakeOpenAiServer> start(Vertx vertx, FakeOpenAiOptions options) {
    FakeOpenAiServer s = new FakeOpenAiServer(vertx, options);
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port()))
      .requestHandler(s::handle).listen()
      .map(server -> {
        s.server = server;
        return s;
      });
  }

  public int port() {
    return server.actualPort();
  }

  /** The base URL to configure as {@code llm.base-url}. */
  public String baseUrl() {
    return "http://" + options.host() + ":" + port() + "/v1";
  }

  public FakeOpenAiStats stats() {
    return stats;
  }

  /** The latest (at most {@value #MAX_RECENT_BODIES}) well-formed request bodies for {@code task}, oldest first. */
  public List<JsonObject> recentBodies(String task) {
    Deque<JsonObject> bodies = recentBodies.get(task);
    if (bodies == null) {
      return List.of();
    }
    synchronized (bodies) {
      return bodies.stream().map(JsonObject::copy).toList();
    }
  }

  /** The next requests get these faults, in order, before the configured rates apply again. */
  public FakeOpenAiServer script(Fault... faults) {
    script.addAll(java.util.List.of(faults));
    return this;
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    if (req.path().equals("/stats")) {
      req.response().putHeader("Content-Type", "application/json").end(stats.toJson().encodePrettily());
      return;
    }
    stats.arrived();
    HttpServerResponse res = req.response();
    // A request ends once: answered, or its connection closed first (a client giving up on a hang).
    // Vert.x calls the end handler on a close too, so both handlers share the same accounting.
    java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    io.vertx.core.Handler<Void> finish = v -> {
      if (ended.compareAndSet(false, true)) {
        stats.finished();
        if (hanging(req)) {
          stats.hangAbandoned();
        }
      }
    };
    res.endHandler(finish);
    res.closeHandler(finish);
    if (options.apiKey() != null && !("Bearer " + options.apiKey()).equals(req.getHeader("Authorization"))) {
      stats.refused();
      String given = req.getHeader("Authorization") == null ? "" : req.getHeader("Authorization").replaceFirst("^Bearer ", "");
      error(res, 401, "Incorrect API key provided: " + given + ".", "invalid_request_error", "invalid_api_key");
      return;
    }
    if (req.method() != io.vertx.core.http.HttpMethod.POST || !req.path().endsWith("/chat/completions")) {
      error(res, 404, "Unknown request URL: " + req.method() + " " + req.path(), "invalid_request_error", null);
      return;
    }
    Buffer body = Buffer.buffer();
    req.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_BODY_BYTES) {
        req.pause();
        if (!res.ended()) {
          error(res, 413, "Request too large", "invalid_request_error", null);
        }
        return;
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> {
      if (!res.ended()) {
        complete(req, res, body);
      }
    });
  }

  private void complete(HttpServerRequest req, HttpServerResponse res, Buffer raw) {
    JsonObject body;
    try {
      body = new JsonObject(raw);
    } catch (DecodeException | ClassCastException e) {
      error(res, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
      return;
    }
    if (!(body.getValue("model") instanceof String model) || !(body.getValue("messages") instanceof JsonArray)) {
      error(res, 400, "'model' and 'messages' are required properties.", "invalid_request_error", null);
      return;
    }
    String task = FakeReplies.task(body);
    remember(task, body);
    Fault fault = nextFault();
    stats.fault(fault, task);
    switch (fault) {
      case RATE_LIMITED -> {
        res.putHeader("Retry-After", Integer.toString(options.retryAfterSeconds()));
        error(res, 429, "Rate limit reached for " + model + " on requests per min (RPM). Please try again in "
          + options.retryAfterSeconds() + "s.", "requests", "rate_limit_exceeded");
      }
      case SERVER_ERROR -> error(res, 500, "The server had an error while processing your request.", "server_error", null);
      case BAD_REQUEST -> error(res, 400, "Invalid image_url: the image could not be downloaded.", "invalid_request_error", "invalid_image_url");
      case HANG -> hangingRequests.add(req);
      case NONE, MALFORMED, OFF_TAXONOMY_SYNONYM, OFF_TAXONOMY -> {
        JsonObject content = replies.reply(body);
        if (content == null) {
          error(res, 400, "The prompt does not look like one of the engine's.", "invalid_request_error", null);
          return;
        }
        if ((fault == Fault.OFF_TAXONOMY_SYNONYM || fault == Fault.OFF_TAXONOMY) && task.equals("vision")) {
          content.put("classification", new JsonObject().put("major_category", "재활용폐기물")
            .put("middle_category", fault == Fault.OFF_TAXONOMY ? "기타" : "금속").putNull("minor_category"));
        }
        String text = content.encode();
        if (fault == Fault.MALFORMED) {
          text = text.substring(0, text.length() / 2);
        }
        JsonObject completion = completion(model, text, tokens(raw.length()), tokens(text.length()));
        long delay = delayMs(task);
        if (delay <= 0) {
          send(res, completion);
        } else {
          vertx.setTimer(delay, id -> send(res, completion));
        }
      }
    }
  }

  private void remember(String task, JsonObject body) {
    Deque<JsonObject> bodies = recentBodies.computeIfAbsent(task, t -> new ArrayDeque<>());
    synchronized (bodies) {
      if (bodies.size() == MAX_RECENT_BODIES) {
        bodies.pollFirst();
      }
      bodies.addLast(body);
    }
  }

  private boolean hanging(HttpServerRequest req) {
    return hangingRequests.remove(req);
  }

  private Fault nextFault() {
    Fault scripted = script.poll();
    if (scripted != null) {
      return scripted;
    }
    double r = uniform.getAsDouble();
    if ((r -= options.rateLimitedRate()) < 0) return Fault.RATE_LIMITED;
    if ((r -= options.serverErrorRate()) < 0) return Fault.SERVER_ERROR;
    if ((r -= options.hangRate()) < 0) return Fault.HANG;
    if ((r -= options.malformedRate()) < 0) return Fault.MALFORMED;
    if ((r -= options.offTaxonomyRate()) < 0) return Fault.OFF_TAXONOMY;
    return Fault.NONE;
  }

  private long delayMs(String task) {
    if (options.latencyScale() == 0) {
      return 0;
    }
    LogNormalLatency l = task.equals("vision") ? vision : answer;
    return Math.round(l.sample(gaussian.getAsDouble()) * options.latencyScale());
  }

  private static void send(HttpServerResponse res, JsonObject json) {
    if (!res.closed() && !res.ended()) {
      res.putHeader("Content-Type", "application/json").end(json.toBuffer());
    }
  }

  private static JsonObject completion(String model, String content, int promptTokens, int completionTokens) {
    return new JsonObject()
      .put("id", "chatcmpl-" + UUID.randomUUID())
      .put("object", "chat.completion")
      .put("created", System.currentTimeMillis() / 1000)
      .put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").put("content", content).putNull("refusal"))
        .put("finish_reason", "stop")))
      .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens));
  }

  private static int tokens(int chars) {
    return Math.max(1, chars / 3);
  }

  private static void error(HttpServerResponse res, int status, String message, String type, String code) {
    JsonObject err = new JsonObject().put("message", message).put("type", type).put("param", null).put("code", code);
    res.setStatusCode(status).putHeader("Content-Type", "application/json").end(new JsonObject().put("error", err).toBuffer());
  }

  /**
   * Runs the server until the process is stopped. Flags: {@code --host}, {@code --port} (default 8089),
   * {@code --api-key}, {@code --latency-scale}, {@code --rate-429}, {@code --retry-after} (seconds),
   * {@code --rate-500}, {@code --rate-hang}, {@code --rate-malformed}, {@code --rate-off-taxonomy}, {@code --seed}.
   */
  public static void main(String[] args) {
    FakeOpenAiOptions o = new FakeOpenAiOptions().setPort(8089);
    try {
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + ": needs a value");
        }
        String v = args[++i];
        switch (flag) {
          case "--host" -> o.setHost(v);
          case "--port" -> o.setPort(Integer.parseInt(v));
          case "--api-key" -> o.setApiKey(v);
          case "--latency-scale" -> o.setLatencyScale(Double.parseDouble(v));
          case "--rate-429" -> o.setRateLimitedRate(Double.parseDouble(v));
          case "--retry-after" -> o.setRetryAfterSeconds(Integer.parseInt(v));
          case "--rate-500" -> o.setServerErrorRate(Double.parseDouble(v));
          case "--rate-hang" -> o.setHangRate(Double.parseDouble(v));
          case "--rate-malformed" -> o.setMalformedRate(Double.parseDouble(v));
          case "--rate-off-taxonomy" -> o.setOffTaxonomyRate(Double.parseDouble(v));
          case "--seed" -> o.setSeed(Long.parseLong(v));
          default -> throw new IllegalArgumentException(flag + ": unknown flag");
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("fake-openai: " + e.getMessage());
      System.exit(2);
    }
    Vertx vertx = Vertx.vertx();
    start(vertx, o).onSuccess(s -> System.out.println("fake-openai: listening on " + s.baseUrl()
        + " (stats: http://" + o.host() + ":" + s.port() + "/stats)"))
      .onFailure(err -> {
        System.err.println("fake-openai: cannot start: " + err.getMessage());
        System.exit(1);
      });
  }
}
