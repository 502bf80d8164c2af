package dev.vaultreplicator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Commit on the primary to visible on the standby, on a running devstack, under an open-loop
 * writer: writes leave on a fixed schedule whatever the answers do, so a slow pipeline cannot slow
 * the load (no coordinated omission). Each figure comes from the servers' own records: a version's
 * {@code created_time} on the standby minus the same version's on the primary (one machine, one
 * clock). Usage: see docs/benchmarks.md. Prints figures; asserts nothing.
 */
public final class DevstackLatencyBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
  private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 5);
  private static final String VALUE = "{\"data\":{\"username\":\"svc-app\",\"password\":\"" + "x".repeat(40) + "\"}}";

  private final HttpClient http = HttpClient.newHttpClient();
  private final String primary;
  private final String standby;
  private final String token;

  private DevstackLatencyBenchmark(String primary, String standby, String token) {
    this.primary = primary;
    this.standby = standby;
    this.token = token;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    if (env.get("VAULT_TOKEN") == null || env.get("VAULT_PRIMARY_ADDR") == null) {
      System.err.println("run ./devstack up --detach and source .devstack/env first");
      System.exit(2);
    }
    var bench = new DevstackLatencyBenchmark(env.get("VAULT_PRIMARY_ADDR"), env.get("VAULT_STANDBY_ADDR"),
        env.get("VAULT_TOKEN"));
    String rates = System.getProperty("bench.rates", "20,50,200");
    System.out.printf("commit on the primary -> version on the standby, open loop, %d s per rate (ms)%n", SECONDS);
    for (String rate : rates.split(",")) {
      bench.run(Integer.parseInt(rate.trim()));
    }
  }

  private void run(int rate) throws Exception {
    String run = "bench-" + rate + "-" + System.nanoTime();
    load(run + "-warm", rate, WARMUP_SECONDS);
    Load measured = load(run, rate, SECONDS);
    Histogram latencies = new Histogram(3); // resizes: a pipeline that falls behind has no upper bound
    int missing = 0;
    Instant deadline = Instant.now().plusSeconds(120);
    for (int k = 0; k < measured.keys(); k++) {
      String key = run + "/k" + k;
      JsonNode source = metadata(primary, key);
      JsonNode copy = awaitVersions(key, source.path("current_version").asInt(), deadline);
      var versions = source.path("versions").fields();
      while (versions.hasNext()) {
        var version = versions.next();
        JsonNode applied = copy == null ? null : copy.path("versions").get(version.getKey());
        if (applied == null) {
          missing++;
          continue;
        }
        long micros = Duration.between(Instant.parse(version.getValue().path("created_time").asText()),
            Instant.parse(applied.path("created_time").asText())).toNanos() / 1_000;
        latencies.recordValue(Math.max(0, micros));
      }
    }
    System.out.printf("  %4d writes/s (sent %.0f/s, %d failed): p50 %7.1f  p90 %7.1f  p99 %7.1f  max %7.1f"
            + "  (%d versions, %d not on the standby)%n", rate, measured.sentPerSecond(), measured.failed(),
        latencies.getValueAtPercentile(50) / 1e3, latencies.getValueAtPercentile(90) / 1e3,
        latencies.getValueAtPercentile(99) / 1e3, latencies.getMaxValue() / 1e3, latencies.getTotalCount(), missing);
  }

  private record Load(int keys, double sentPerSecond, int failed) {}

  /** Sends {@code rate} writes a second for {@code seconds}, each on its schedule, and waits for the answers. */
  private Load load(String run, int rate, int seconds) {
    int writes = rate * seconds;
    int keys = Math.max(10, writes / 8); // at most 8 versions a key: Vault keeps 10
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<?>> answers = new ArrayList<>(writes);
    long start = System.nanoTime();
    for (int i = 0; i < writes; i++) {
      long due = start + i * 1_000_000_000L / rate;
      while (System.nanoTime() < due) {
        LockSupport.parkNanos(due - System.nanoTime()); // the schedule of an open-loop load, not a wait for a result
      }
      HttpRequest write = HttpRequest.newBuilder(URI.create(primary + "/v1/secret/data/" + run + "/k" + (i % keys)))
          .header("X-Vault-Token", token).POST(HttpRequest.BodyPublishers.ofString(VALUE)).build();
      answers.add(http.sendAsync(write, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
        if (error != null || response.statusCode() != 200) {
          failed.incrementAndGet();
        }
        return null;
      }));
    }
    double sent = writes / ((System.nanoTime() - start) / 1e9);
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
    return new Load(keys, sent, failed.get());
  }

  private JsonNode awaitVersions(String key, int version, Instant deadline) throws Exception {
    while (true) {
      JsonNode copy = metadata(standby, key);
      if (copy != null && copy.path("current_version").asInt() >= version || Instant.now().isAfter(deadline)) {
        return copy;
      }
      Thread.sleep(50); // polling a server for the end of a drain, in a benchmark
    }
  }

  private JsonNode metadata(String vault, String key) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(vault + "/v1/secret/metadata/" + key))
        .header("X-Vault-Token", token).GET().build(), HttpResponse.BodyHandlers.ofString());
    return answer.statusCode() == 200 ? JSON.readTree(answer.body()).path("data") : null;
  }
}
