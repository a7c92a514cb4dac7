package io.eco2.scan.llm;

/**
 * A log-normal latency distribution fitted to a mean and a 99th percentile, as LLM latencies are
 * long-tailed: most calls near the mean, a few several times slower.
 *
 * <p>With {@code z = 2.326} (the standard normal's 99th percentile), {@code sigma = z - sqrt(z^2 - 2 ln(p99/mean))}
 * and {@code mu = ln(mean) - sigma^2/2}, the distribution's mean and p99 are exactly the ones given. Pure
 * arithmetic: immutable and free of timers, so it is shared by every event loop.
 */
public final class LogNormalLatency {

  /** The standard normal distribution's 99th percentile. */
  public static final double Z99 = 2.326;

  private final double mu;
  private final double sigma;

  private LogNormalLatency(double mu, double sigma) {
    this.mu = mu;
    this.sigma = sigma;
  }

  /**
   * Fits the distribution.
   *
   * @param meanKey the configuration key of {@code mean}, named in errors
   * @param p99Key the configuration key of {@code p99}, named in errors
   * @throws IllegalArgumentException naming the key when the pair has no log-normal fit
   */
  public static LogNormalLatency fit(double mean, double p99, String meanKey, String p99Key) {
    if (!(mean > 0) || Double.isInfinite(mean)) {
      throw new IllegalArgumentException(meanKey + ": must be a positive number of milliseconds, got " + mean);
    }
    if (!(p99 > mean) || Double.isInfinite(p99)) {
      throw new IllegalArgumentException(p99Key + ": must be greater than " + meanKey + " (" + mean + "), got " + p99);
    }
    double radicand = Z99 * Z99 - 2 * Math.log(p99 / mean);
    if (radicand < 0) {
      // Beyond this ratio no sigma gives both values: the tail would need a mean above the one configured.
      double maxRatio = Math.exp(Z99 * Z99 / 2);
      throw new IllegalArgumentException(p99Key + ": at most " + String.format(java.util.Locale.ROOT, "%.1f", maxRatio)
        + " times " + meanKey + " (" + mean + ") has a log-normal fit, got " + p99);
    }
    double sigma = Z99 - Math.sqrt(radicand);
    double mu = Math.log(mean) - sigma * sigma / 2;
    return new LogNormalLatency(mu, sigma);
  }

  /** The location parameter (the mean of the latency's logarithm). */
  public double mu() {
    return mu;
  }

  /** The scale parameter (the standard deviation of the latency's logarithm). */
  public double sigma() {
    return sigma;
  }

  /** The distribution's mean, {@code exp(mu + sigma^2/2)}. */
  public double mean() {
    return Math.exp(mu + sigma * sigma / 2);
  }

  /** The latency's {@code q}-quantile for the standard normal quantile {@code z}. */
  public double quantile(double z) {
    return Math.exp(mu + sigma * z);
  }

  /** One latency in milliseconds from a standard normal draw. */
  public double sample(double standardNormal) {
    return Math.exp(mu + sigma * standardNormal);
  }
}
