package dev.vaultreplicator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.apply.ApplyConfig;
import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.capture.CaptureConfig;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.testkit.kafka.KafkaBroker;
import dev.vaultreplicator.testkit.vault.AuditDeclaration;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Apply end to end on a real broker, capture on one emulator and apply on another, each figure
 * beside the raw ceiling measured in the same run:
 * <ol>
 *   <li>latency: paced single writes on the primary, from each version's {@code created_time} there
 *       to its {@code created_time} on the standby (one clock: both emulators run here), beside a
 *       plain write to the standby;</li>
 *   <li>drain: apply stopped while {@code THREADS} clients write a backlog, then started again;
 *       events/s from RUNNING to the last one applied, beside the same check-and-set writes made
 *       to the standby by one plain client (apply runs one stream thread).</li>
 * </ol>
 * Usage: see docs/benchmarks.md. Prints figures; asserts nothing.
 */
public final class ApplyBenchmark {

  private static final int WRITES = Integer.getInteger("apply.writes", 4_000);
  private static final int THREADS = Integer.getInteger("apply.threads", 4);
  private static final int PACED = Integer.getInteger("apply.paced", 400);
  private static final int PACED_PER_SECOND = Integer.getInteger("apply.rate", 50);
  private static final int KEYS = 500;
  private static final String PREFIX = "bench-apply";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final Keyring keyring = Keyring.generate("bench");
  private final SimpleMeterRegistry captureMetrics = new SimpleMeterRegistry();
  private final VaultEmulator primary;
  private final VaultEmulator standby;
  private final KafkaBroker kafka;
  private final Path stateDir;

  private ApplyBenchmark(VaultEmulator primary, VaultEmulator standby, KafkaBroker kafka, Path stateDir) {
    this.primary = primary;
    this.standby = standby;
    this.kafka = kafka;
    this.stateDir = stateDir;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("apply-bench");
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"));
        VaultEmulator primary = VaultEmulator.start();
        VaultEmulator standby = VaultEmulator.start()) {
      new ApplyBenchmark(primary, standby, kafka, dir.resolve("state")).run();
    }
  }

  private void run() throws Exception {
    call(standby, "POST", "sys/mounts/ceiling", "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
    try (Capture capture = startCapture()) {
      primary.declareAuditDevices(List.of(AuditDeclaration.socket("capture", "127.0.0.1:" + capture.auditPort())));
      long published = 0;
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (Apply apply = startApply(registry)) {
        published += writeAll("warm", WRITES / 4); // warm-up of every path
        awaitApplied(registry, published);
        latency();
      }
      published += PACED;
      writeAll("bulk", WRITES);
      awaitPublished(published + WRITES);
      drain();
    }
  }

  private void latency() throws Exception {
    List<Double> floor = new ArrayList<>();
    for (int i = 0; i < PACED; i++) {
      long start = System.nanoTime();
      call(standby, "POST", "ceiling/data/floor/" + i, "{\"data\":{\"password\":\"value-" + i + "\"}}");
      floor.add((System.nanoTime() - start) / 1e6);
    }
    long interval = 1_000_000_000L / PACED_PER_SECOND;
    long next = System.nanoTime();
    for (int i = 0; i < PACED; i++) {
      while (System.nanoTime() < next) {
        Thread.onSpinWait();
      }
      next += interval;
      call(primary, "POST", "secret/data/paced/" + i, "{\"data\":{\"password\":\"value-" + i + "\"}}");
    }
    List<Double> e2e = new ArrayList<>();
    for (int i = 0; i < PACED; i++) {
      String key = "secret/metadata/paced/" + i;
      JsonNode onStandby = awaitOnStandby("paced/" + i);
      e2e.add(Duration.between(createdTime(read(primary, key)), createdTime(onStandby)).toNanos() / 1e6);
    }
    Collections.sort(e2e);
    Collections.sort(floor);
    System.out.printf("%ncommit on the primary to written on the standby, %d writes at %d/s (ms)%n", PACED,
        PACED_PER_SECOND);
    System.out.printf("  replicated          p50 %6.1f  p90 %6.1f  p99 %6.1f  max %6.1f%n", pct(e2e, 50),
        pct(e2e, 90), pct(e2e, 99), e2e.get(e2e.size() - 1));
    System.out.printf("  plain standby write p50 %6.1f  p90 %6.1f  p99 %6.1f  max %6.1f%n", pct(floor, 50),
        pct(floor, 90), pct(floor, 99), floor.get(floor.size() - 1));
  }

  /** A backlog waits on the topic; apply starts and works through it. */
  private void drain() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Apply apply = startApply(registry)) {
      long start = System.nanoTime();
      awaitApplied(registry, WRITES);
      double took = (System.nanoTime() - start) / 1e9;
      double ceiling = casWrites();
      System.out.printf("%ndrain of a backlog of %d versions over %d keys, one stream thread%n", WRITES, KEYS);
      System.out.printf("  ceiling: the same cas writes by one plain client %8.0f writes/s%n", WRITES / ceiling);
      System.out.printf("  apply, RUNNING to the last version applied        %8.0f events/s (%.2f of the ceiling)%n",
          WRITES / took, ceiling / took);
    }
  }

  /** @return seconds for the same sequence of check-and-set writes apply makes, to another mount */
  private double casWrites() {
    long[] current = new long[KEYS];
    long start = System.nanoTime();
    for (int i = 0; i < WRITES; i++) {
      int key = i % KEYS;
      call(standby, "POST", "ceiling/data/k" + key, "{\"options\":{\"cas\":" + current[key]
          + "},\"data\":{\"password\":\"value-" + i + "\"}}");
      current[key]++;
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private Capture startCapture() throws Exception {
    Map<String, String> settings = Map.of(
        CaptureConfig.REGION, "east",
        CaptureConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
        CaptureConfig.TOPIC_PREFIX, PREFIX,
        CaptureConfig.VAULT_ADDRESS, primary.address(),
        CaptureConfig.VAULT_TOKEN, primary.rootToken(),
        CaptureConfig.AUDIT_PORT, "0",
        CaptureConfig.METRICS_PORT, "-1",
        CaptureConfig.EPOCH_BOOTSTRAP, "true",
        CaptureConfig.POLICIES, "false");
    return Capture.start(CaptureConfig.from(settings), keyring, captureMetrics);
  }

  private Apply startApply(SimpleMeterRegistry registry) throws Exception {
    Map<String, String> settings = Map.of(
        ApplyConfig.REGION, "west",
        ApplyConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
        ApplyConfig.TOPIC_PREFIX, PREFIX,
        ApplyConfig.VAULT_ADDRESS, standby.address(),
        ApplyConfig.VAULT_TOKEN, standby.rootToken(),
        ApplyConfig.STATE_DIR, stateDir.toString(),
        ApplyConfig.METRICS_PORT, "-1");
    Apply apply = Apply.start(ApplyConfig.from(settings), keyring, registry);
    while (apply.state() != Apply.State.RUNNING) {
      Thread.sleep(2);
    }
    return apply;
  }

  /** @return how many versions were written, {@code count} by {@code THREADS} clients over {@code KEYS} keys */
  private long writeAll(String folder, int count) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    for (int t = 0; t < THREADS; t++) {
      pool.execute(() -> {
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          call(primary, "POST", "secret/data/" + folder + "/k" + (i % KEYS),
              "{\"data\":{\"password\":\"value-" + i + "\"}}");
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.MINUTES);
    return count;
  }

  private void awaitPublished(long count) throws InterruptedException {
    while (true) {
      Timer published = captureMetrics.find("vault.capture.commit.to.published").timer();
      if (published != null && published.count() >= count) {
        return;
      }
      Thread.sleep(5);
    }
  }

  private JsonNode awaitOnStandby(String key) throws InterruptedException {
    while (true) {
      JsonNode metadata = read(standby, "secret/metadata/" + key);
      if (metadata != null) {
        return metadata;
      }
      Thread.sleep(5);
    }
  }

  private static void awaitApplied(SimpleMeterRegistry registry, long count) throws InterruptedException {
    while (registry.find("vault.replication.applied").counters().stream().mapToDouble(Counter::count).sum() < count) {
      Thread.sleep(2);
    }
  }

  private static Instant createdTime(JsonNode metadata) {
    return Instant.parse(metadata.path("versions").path("1").path("created_time").asText());
  }

  private JsonNode read(VaultEmulator vault, String path) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(vault.address() + "/v1/" + path))
          .header("X-Vault-Token", vault.rootToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 404 ? null : JSON.readTree(response.body()).path("data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void call(VaultEmulator vault, String method, String path, String body) {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(vault.address() + "/v1/" + path))
          .header("X-Vault-Token", vault.rootToken())
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double pct(List<Double> sorted, int percentile) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
  }
}
