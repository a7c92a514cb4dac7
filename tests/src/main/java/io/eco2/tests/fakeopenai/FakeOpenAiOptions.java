package io.eco2.tests.fakeopenai;

/**
 * How the {@link FakeOpenAiServer} behaves. Latency defaults are the simulated provider's (vision 4.5 s
 * mean / 10 s p99, answer 6.7 s / 10 s, log-normal); every fault rate defaults to 0.
 */
public final class FakeOpenAiOptions {

  private String host = "127.0.0.1";
  private int port;
  private String apiKey;
  private double latencyScale = 1.0;
  private double visionMeanMs = 4500;
  private double visionP99Ms = 10000;
  private double answerMeanMs = 6700;
  private double answerP99Ms = 10000;
  private double rateLimitedRate;
  private int retryAfterSeconds = 1;
  private double serverErrorRate;
  private double hangRate;
  private double malformedRate;
  private double offTaxonomyRate;
  private Long seed;

  public String host() { return host; }
  public FakeOpenAiOptions setHost(String host) { this.host = host; return this; }

  /** 0 picks a free port. */
  public int port() { return port; }
  public FakeOpenAiOptions setPort(int port) { this.port = port; return this; }

  /** The bearer key every request must carry; null accepts any request. */
  public String apiKey() { return apiKey; }
  public FakeOpenAiOptions setApiKey(String apiKey) { this.apiKey = apiKey; return this; }

  /** Multiplies every latency; 0 answers at once. */
  public double latencyScale() { return latencyScale; }
  public FakeOpenAiOptions setLatencyScale(double latencyScale) { this.latencyScale = latencyScale; return this; }

  public double visionMeanMs() { return visionMeanMs; }
  public double visionP99Ms() { return visionP99Ms; }
  public FakeOpenAiOptions setVisionLatency(double meanMs, double p99Ms) { visionMeanMs = meanMs; visionP99Ms = p99Ms; return this; }

  public double answerMeanMs() { return answerMeanMs; }
  public double answerP99Ms() { return answerP99Ms; }
  public FakeOpenAiOptions setAnswerLatency(double meanMs, double p99Ms) { answerMeanMs = meanMs; answerP99Ms = p99Ms; return this; }

  /** Share of requests answered 429. */
  public double rateLimitedRate() { return rateLimitedRate; }
  public FakeOpenAiOptions setRateLimitedRate(double rate) { this.rateLimitedRate = rate; return this; }

  /** The {@code Retry-After} of a 429, in seconds. */
  public int retryAfterSeconds() { return retryAfterSeconds; }
  public FakeOpenAiOptions setRetryAfterSeconds(int seconds) { this.retryAfterSeconds = seconds; return this; }

  /** Share of requests answered 500. */
  public double serverErrorRate() { return serverErrorRate; }
  public FakeOpenAiOptions setServerErrorRate(double rate) { this.serverErrorRate = rate; return this; }

  /** Share of requests never answered. */
  public double hangRate() { return hangRate; }
  public FakeOpenAiOptions setHangRate(double rate) { this.hangRate = rate; return this; }

  /** Share of requests answered with cut-off JSON content. */
  public double malformedRate() { return malformedRate; }
  public FakeOpenAiOptions setMalformedRate(double rate) { this.malformedRate = rate; return this; }

  /** Share of requests whose vision reply names a middle category outside the taxonomy ({@link Fault#OFF_TAXONOMY}). */
  public double offTaxonomyRate() { return offTaxonomyRate; }
  public FakeOpenAiOptions setOffTaxonomyRate(double rate) { this.offTaxonomyRate = rate; return this; }

  /** Seed of the latency and fault draws; null for unseeded. */
  public Long seed() { return seed; }
  public FakeOpenAiOptions setSeed(Long seed) { this.seed = seed; return this; }
}
