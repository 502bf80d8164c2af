package dev.vaultreplicator.bench;

import dev.vaultreplicator.testkit.vault.VaultEmulator;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * One client's KV v2 write latency over HTTP on a server that already holds 10,000 keys of 5
 * versions each: the emulator in memory (the ceiling of its code), the emulator with
 * {@code --data-dir} (its journal), and a real OpenBao on raft when a {@code bao} binary is found.
 * Rounds alternate between the servers so that drift of the machine hits each alike.
 * Usage: see docs/benchmarks.md.
 */
public final class VaultWriteBenchmark {

  private static final int KEYS = Integer.getInteger("bench.keys", 10_000);
  private static final int VERSIONS = 5;
  private static final int ROUNDS = 3;
  private static final int WRITES_PER_ROUND = Integer.getInteger("bench.writes", 3_000);
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String VALUE = "{\"data\":{\"username\":\"svc-app\",\"password\":\"" + "x".repeat(40)
      + "\",\"url\":\"postgres://db.internal:5432/app\"}}";

  private record Target(String name, String address, String token, Histogram latencies) {}

  private VaultWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("vault-write-bench");
    List<AutoCloseable> servers = new ArrayList<>();
    Map<String, Target> targets = new LinkedHashMap<>();
    VaultEmulator memory = VaultEmulator.builder().start();
    servers.add(memory);
    targets.put("memory", new Target("emulator, in memory", memory.address(), memory.rootToken(), histogram()));
    VaultEmulator journal = VaultEmulator.builder().dataDir(dir.resolve("emulator")).start();
    servers.add(journal);
    targets.put("journal", new Target("emulator, --data-dir", journal.address(), journal.rootToken(), histogram()));
    var bao = OpenBaoServer.findBinary();
    if (bao.isPresent()) {
      OpenBaoServer openBao = OpenBaoServer.builder(bao.get(), dir.resolve("openbao")).persistent().start();
      servers.add(openBao);
      targets.put("openbao", new Target("OpenBao " + openBao.admin().version() + ", raft", openBao.address(),
          openBao.rootToken(), histogram()));
    }
    try {
      for (Target target : targets.values()) {
        long start = System.nanoTime();
        preload(target);
        System.out.printf("preloaded %-28s %,d keys x %d versions in %.1f s%n", target.name() + ":", KEYS, VERSIONS,
            (System.nanoTime() - start) / 1e9);
      }
      for (int round = 0; round <= ROUNDS; round++) {
        for (Target target : targets.values()) {
          Histogram into = round == 0 ? histogram() : target.latencies(); // round 0 warms up
          for (int i = 0; i < WRITES_PER_ROUND; i++) {
            long start = System.nanoTime();
            write(target, "bench/k" + ((round * WRITES_PER_ROUND + i) % KEYS));
            into.recordValue((System.nanoTime() - start) / 1_000);
          }
        }
      }
      System.out.printf("%none client, %,d sequential KV v2 writes per server after warm-up (ms)%n",
          ROUNDS * WRITES_PER_ROUND);
      double ceiling = targets.get("memory").latencies().getValueAtPercentile(50);
      for (Target target : targets.values()) {
        Histogram h = target.latencies();
        System.out.printf("  %-28s p50 %6.2f  p90 %6.2f  p99 %6.2f  max %7.2f  %6.0f writes/s  p50 %.2fx in memory%n",
            target.name(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
            h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3, 1e6 / h.getMean(),
            h.getValueAtPercentile(50) / ceiling);
      }
      journal.close();
      long start = System.nanoTime();
      try (VaultEmulator reopened = VaultEmulator.builder().dataDir(dir.resolve("emulator")).start()) {
        System.out.printf("%nemulator restart on its data dir (snapshot + journal replay): %.2f s%n",
            (System.nanoTime() - start) / 1e9);
      }
    } finally {
      for (AutoCloseable server : servers) {
        server.close();
      }
    }
  }

  private static Histogram histogram() {
    return new Histogram(60_000_000L, 3);
  }

  private static void preload(Target target) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int client = c;
      done.add(clients.submit(() -> {
        for (int key = client; key < KEYS; key += 4) {
          for (int v = 0; v < VERSIONS; v++) {
            write(target, "bench/k" + key);
          }
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    clients.shutdown();
  }

  private static void write(Target target, String key) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(target.address() + "/v1/secret/data/" + key))
        .header("X-Vault-Token", target.token()).POST(HttpRequest.BodyPublishers.ofString(VALUE)).build();
    try {
      int status = CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        throw new IllegalStateException(target.name() + " answered " + status + " to a write of " + key);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
