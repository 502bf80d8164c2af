package dev.vaultreplicator.bench;

import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.capture.CaptureConfig;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.testkit.kafka.KafkaBroker;
import dev.vaultreplicator.testkit.vault.AuditDeclaration;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import dev.vaultreplicator.vault.VaultGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Capture end to end on a real broker and the Vault emulator, each figure beside the raw ceiling
 * measured in the same run:
 * <ol>
 *   <li>stream: writes as fast as {@code THREADS} clients go, first to a mount capture does not
 *       replicate (the primary's ceiling with audit on), then to a replicated one; events/s is
 *       until the last event is on the changes topic;</li>
 *   <li>latency: paced single writes, commit time on the primary to the event read back from Kafka;</li>
 *   <li>scan: a new capture bootstraps every key, against plain metadata and data reads of the
 *       same keys as its ceiling.</li>
 * </ol>
 * Usage: see docs/benchmarks.md. Prints figures; asserts nothing.
 */
public final class CaptureBenchmark {

  private static final int WRITES = Integer.getInteger("capture.writes", 4_000);
  private static final int THREADS = Integer.getInteger("capture.threads", 4);
  private static final int PACED = Integer.getInteger("capture.paced", 400);
  private static final int PACED_PER_SECOND = Integer.getInteger("capture.rate", 50);
  private static final int KEYS = 500;

  private final HttpClient http = HttpClient.newHttpClient();
  private final VaultEmulator primary;
  private final KafkaBroker kafka;

  private CaptureBenchmark(VaultEmulator primary, KafkaBroker kafka) {
    this.primary = primary;
    this.kafka = kafka;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("capture-bench");
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"));
        VaultEmulator primary = VaultEmulator.start()) {
      new CaptureBenchmark(primary, kafka).run();
    }
  }

  private void run() throws Exception {
    call("POST", "sys/mounts/unreplicated", "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
    AuditDeclaration file = AuditDeclaration.file("file", Path.of("discard"));
    primary.declareAuditDevices(List.of(file));
    try (Capture capture = startCapture("stream")) {
      primary.declareAuditDevices(List.of(file, AuditDeclaration.socket("capture", "127.0.0.1:" + capture.auditPort())));
      try (ChangesReader changes = new ChangesReader("stream")) {
        writeAll("unreplicated", WRITES / 4); // warm-up of both paths
        writeAll("secret", WRITES / 4);
        changes.await(WRITES / 4);

        double ceiling = writeAll("unreplicated", WRITES);
        long start = System.nanoTime();
        double writing = writeAll("secret", WRITES);
        changes.await(WRITES / 4 + WRITES);
        double published = (System.nanoTime() - start) / 1e9;
        System.out.printf("%nstream, %d writes by %d clients over %d keys%n", WRITES, THREADS, KEYS);
        System.out.printf("  primary ceiling (unreplicated mount, audit on) %8.0f writes/s%n", WRITES / ceiling);
        System.out.printf("  replicated mount: writes                       %8.0f writes/s (%.2f of the ceiling)%n",
            WRITES / writing, ceiling / writing);
        System.out.printf("  replicated mount: all published after %.2f s    %8.0f events/s (%.2f of the ceiling)%n",
            published, WRITES / published, ceiling / published);

        List<Double> latencies = paced(changes);
        Collections.sort(latencies);
        System.out.printf("%ncommit on the primary to readable on Kafka, %d writes at %d/s (ms)%n", PACED,
            PACED_PER_SECOND);
        System.out.printf("  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", pct(latencies, 50), pct(latencies, 90),
            pct(latencies, 99), latencies.get(latencies.size() - 1));
      }
    }
    primary.declareAuditDevices(List.of(file));
    scan();
  }

  /** Paced writes of fresh keys; each latency is from the version's created_time to the event read. */
  private List<Double> paced(ChangesReader changes) throws Exception {
    List<Double> latencies = new ArrayList<>();
    long interval = 1_000_000_000L / PACED_PER_SECOND;
    long next = System.nanoTime();
    changes.latencies.clear();
    for (int i = 0; i < PACED; i++) {
      while (System.nanoTime() < next) {
        Thread.onSpinWait();
      }
      next += interval;
      call("POST", "secret/data/paced/" + i, "{\"data\":{\"password\":\"value-" + i + "\"}}");
    }
    changes.awaitLatencies(PACED);
    latencies.addAll(changes.latencies);
    return latencies;
  }

  /** A fresh capture on a fresh topic bootstraps every key; the ceiling reads the same keys plainly. */
  private void scan() throws Exception {
    VaultGateway gateway = new VaultGateway(URI.create(primary.address()), primary::rootToken, Duration.ofSeconds(10));
    List<String> keys = new ArrayList<>();
    long start = System.nanoTime();
    for (String folder : List.of("", "paced/")) {
      for (String key : gateway.list("secret/metadata/" + folder)) {
        if (!key.endsWith("/")) {
          keys.add(folder + key);
        }
      }
    }
    int versions = 0;
    for (String key : keys) {
      var metadata = gateway.kvMetadata("secret", key).orElseThrow();
      for (long version : metadata.versions().keySet()) {
        gateway.kvVersion("secret", key, version);
        versions++;
      }
    }
    double ceiling = (System.nanoTime() - start) / 1e9;

    start = System.nanoTime();
    try (Capture capture = startCapture("scan"); ChangesReader changes = new ChangesReader("scan")) {
      changes.await(versions);
      double took = (System.nanoTime() - start) / 1e9;
      System.out.printf("%nscan (bootstrap) of %d keys holding %d versions%n", keys.size(), versions);
      System.out.printf("  ceiling: list, metadata and data reads        %8.0f versions/s%n", versions / ceiling);
      System.out.printf("  capture start to every version published      %8.0f events/s (%.2f of the ceiling,"
          + " %.2f s including start-up)%n", versions / took, ceiling / took, took);
    }
  }

  private Capture startCapture(String name) throws Exception {
    Map<String, String> settings = Map.of(
        CaptureConfig.REGION, "east",
        CaptureConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
        CaptureConfig.TOPIC_PREFIX, "bench-" + name,
        CaptureConfig.VAULT_ADDRESS, primary.address(),
        CaptureConfig.VAULT_TOKEN, primary.rootToken(),
        CaptureConfig.AUDIT_PORT, "0",
        CaptureConfig.METRICS_PORT, "-1",
        CaptureConfig.EPOCH_BOOTSTRAP, "true",
        CaptureConfig.POLICIES, "false");
    return Capture.start(CaptureConfig.from(settings), Keyring.generate("bench"), new SimpleMeterRegistry());
  }

  /** @return seconds for {@code count} writes to {@code KEYS} keys of the mount */
  private double writeAll(String mount, int count) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long start = System.nanoTime();
    for (int t = 0; t < THREADS; t++) {
      pool.execute(() -> {
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          call("POST", mount + "/data/k" + (i % KEYS), "{\"data\":{\"password\":\"value-" + i + "\"}}");
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.MINUTES);
    return (System.nanoTime() - start) / 1e9;
  }

  private void call(String method, String path, String body) {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(primary.address() + "/v1/" + path))
          .header("X-Vault-Token", primary.rootToken())
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double pct(List<Double> sorted, int percentile) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
  }

  /**
   * Reads a changes topic on a thread of its own from the moment it is made, counting SecretChanges
   * and timing paced ones from their commit time to when they were read.
   */
  private final class ChangesReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final EventCodec codec = new EventCodec();
    private final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong changes = new AtomicLong();
    private final Thread reader = new Thread(this::read, "bench-changes-reader");
    private volatile boolean open = true;

    ChangesReader(String name) {
      consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
          new StringDeserializer(), new ByteArrayDeserializer());
      // Capture created the topic before it returned from start.
      String topic = "bench-" + name + ".changes";
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      reader.start();
    }

    void await(long count) throws InterruptedException {
      while (changes.get() < count) {
        Thread.sleep(5);
      }
    }

    void awaitLatencies(int count) throws InterruptedException {
      while (latencies.size() < count) {
        Thread.sleep(5);
      }
    }

    private void read() {
      while (open) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          if (codec.decode(record.value()) instanceof SecretChange change) {
            if (change.getPath().startsWith("paced/")) {
              latencies.add(Duration.between(change.getCommitTime(), Instant.now()).toNanos() / 1e6);
            }
            changes.incrementAndGet();
          }
        }
      }
      consumer.close();
    }

    @Override
    public void close() throws InterruptedException {
      open = false;
      reader.join();
    }
  }
}
