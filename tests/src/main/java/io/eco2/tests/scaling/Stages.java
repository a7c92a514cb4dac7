package io.eco2.tests.scaling;

import java.util.Random;

/**
 * Service times of the four Eco² stages: vision and answer are LLM calls, log-normal with the simulated
 * provider's defaults (mean 4.5 s and 6.7 s, p99 10 s); rule and reward are short local work.
 */
final class Stages {

  static final String[] NAMES = {"vision", "rule", "answer", "reward"};
  private static final double Z99 = 2.3263;

  private Stages() {
  }

  static double serviceSeconds(int stage, Random random) {
    return switch (stage) {
      case 0 -> logNormal(4.5, 10, random);
      case 2 -> logNormal(6.7, 10, random);
      case 1 -> 0.02 + 0.03 * random.nextDouble();
      default -> 0.1 + 0.2 * random.nextDouble();
    };
  }

  // A log-normal with the given mean and 99th percentile: mean = exp(mu + s²/2), p99 = exp(mu + z·s).
  private static double logNormal(double mean, double p99, Random random) {
    double a = 0.5;
    double b = -Z99;
    double c = Math.log(p99) - Math.log(mean);
    double s = (-b - Math.sqrt(Math.max(0, b * b - 4 * a * c))) / (2 * a);
    double mu = Math.log(mean) - s * s / 2;
    return Math.exp(mu + s * random.nextGaussian());
  }
}
