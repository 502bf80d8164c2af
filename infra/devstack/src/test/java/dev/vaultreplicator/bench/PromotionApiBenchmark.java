package dev.vaultreplicator.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;

/**
 * Latency of the promotion service's answers, on a running devstack (its own process, with the
 * broker, both Vaults, capture and apply beside it), each route beside {@code /health/live}, which
 * does no work: the HTTP ceiling of the same server in the same run. Sequential requests on one
 * connection, as a load balancer's health probe makes them.
 * Usage: see docs/benchmarks.md. Prints figures; asserts nothing.
 */
public final class PromotionApiBenchmark {

  private static final int WARMUP = Integer.getInteger("promotion.warmup", 500);
  private static final int REQUESTS = Integer.getInteger("promotion.requests", 3_000);

  private final HttpClient http = HttpClient.newHttpClient();
  private final String url;
  private final String viewerToken;

  private PromotionApiBenchmark(String url, String viewerToken) {
    this.url = url;
    this.viewerToken = viewerToken;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    String url = env.getOrDefault("PROMOTION_URL", "http://127.0.0.1:8088");
    String token = env.get("PROMOTION_VIEWER_TOKEN");
    if (token == null) {
      System.err.println("run ./devstack up --detach and source .devstack/env first (PROMOTION_VIEWER_TOKEN)");
      System.exit(2);
    }
    new PromotionApiBenchmark(url, token).run();
  }

  private void run() throws Exception {
    double[] ceiling = measure("/health/live", false);
    print("GET /health/live (ceiling)", ceiling, ceiling);
    print("GET /health/standby/west", measure("/health/standby/west", false), ceiling);
    print("GET /v1/status", measure("/v1/status", true), ceiling);
    print("GET /v1/readiness/west", measure("/v1/readiness/west", true), ceiling);
  }

  /** Milliseconds per request, sorted. */
  private double[] measure(String path, boolean authorized) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url + path));
    if (authorized) {
      builder.header("Authorization", "Bearer " + viewerToken);
    }
    HttpRequest request = builder.build();
    for (int i = 0; i < WARMUP; i++) {
      http.send(request, HttpResponse.BodyHandlers.discarding());
    }
    double[] millis = new double[REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
      long start = System.nanoTime();
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      millis[i] = (System.nanoTime() - start) / 1e6;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode() + ": is the standby fit?");
      }
    }
    Arrays.sort(millis);
    return millis;
  }

  private static void print(String name, double[] millis, double[] ceiling) {
    System.out.printf("%-28s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  %6.0f req/s  (p50 %.1fx the ceiling)%n",
        name, at(millis, 0.50), at(millis, 0.90), at(millis, 0.99), millis[millis.length - 1],
        millis.length / (Arrays.stream(millis).sum() / 1000), at(millis, 0.50) / at(ceiling, 0.50));
  }

  private static double at(double[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
  }
}
