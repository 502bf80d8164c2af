package dev.vaultreplicator.capture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Capture's meters. Tag values are bounded: an event type, a skip reason, a scan source (a mount
 * name or "policies"), never a secret path. Every meter carries the region.
 */
public final class CaptureMetrics {

  private final MeterRegistry registry;
  private final String region;
  private final Counter linesReceived;
  private final Counter overflows;
  private final Counter fenced;
  private final Counter writesWithoutData;
  private final Counter versionsReadAlone;
  private final Counter kafkaRefusals;
  private final Timer publishLatency;
  private final Timer scanDuration;
  private final AtomicLong scanKeys = new AtomicLong();
  /** 0 until the first probe's line arrives: at start nothing is proven. */
  private final AtomicLong streamDelivering = new AtomicLong(0);
  private final Map<SkipReason, Counter> skipped = new ConcurrentHashMap<>();
  private final Map<String, Counter> publishedByType = new ConcurrentHashMap<>();

  public CaptureMetrics(MeterRegistry registry, String region) {
    this.registry = registry;
    this.region = region;
    linesReceived = Counter.builder("vault.capture.audit.lines.received").tag("region", region)
        .description("Lines read from the audit socket").register(registry);
    overflows = Counter.builder("vault.capture.buffer.overflows").tag("region", region)
        .description("Changed paths refused by the full buffer; a scan repairs them").register(registry);
    fenced = Counter.builder("vault.capture.fenced.changes").tag("region", region)
        .description("Changes not published because the current epoch names another region (see <prefix>.fenced)")
        .register(registry);
    writesWithoutData = Counter.builder("vault.capture.writes.without.data").tag("region", region)
        .description("KV v2 versions deleted or destroyed before capture could read them").register(registry);
    versionsReadAlone = Counter.builder("vault.capture.versions.read.alone").tag("region", region)
        .description("KV v2 writes captured by reading the version the audit line named, without the key's metadata")
        .register(registry);
    kafkaRefusals = Counter.builder("vault.capture.kafka.refusals").tag("region", region)
        .description("Events Kafka did not take in time (no metadata or no buffer space within max.block.ms); "
            + "each is read again and sent after a backoff").register(registry);
    publishLatency = Timer.builder("vault.capture.commit.to.published").tag("region", region)
        .description("From commit on the primary to Kafka's acknowledgement")
        .publishPercentiles(0.5, 0.95, 0.99).register(registry);
    scanDuration = Timer.builder("vault.capture.scan.duration").tag("region", region)
        .description("Duration of complete scans").register(registry);
    Gauge.builder("vault.capture.scan.keys", scanKeys, AtomicLong::get).tag("region", region)
        .description("Keys and policies the last complete scan saw").register(registry);
    Gauge.builder("vault.capture.audit.stream.delivering", streamDelivering, AtomicLong::get).tag("region", region)
        .description("1 while the line of capture's own audited probe arrives, 0 when it did not at the last heartbeat")
        .register(registry);
  }

  public void auditStreamDelivering(boolean delivering) {
    streamDelivering.set(delivering ? 1 : 0);
  }

  /** Gauges read from the live pipeline. */
  public void watch(TriggerQueue queue, InFlight inFlight, CapturedThrough capturedThrough) {
    Gauge.builder("vault.capture.buffer.depth", queue, TriggerQueue::depth).tag("region", region)
        .description("Changed paths waiting to be read from the primary").register(registry);
    Gauge.builder("vault.capture.in.flight", inFlight, InFlight::size).tag("region", region)
        .description("Changes heard of and not yet acknowledged by Kafka").register(registry);
    Gauge.builder("vault.capture.heartbeat.age", capturedThrough, CaptureMetrics::ageSeconds).tag("region", region)
        .baseUnit("seconds").description("How far captured_through trails now; grows while it is frozen")
        .register(registry);
  }

  public void lineReceived() {
    linesReceived.increment();
  }

  /** Per audit line: the counter is looked up once per reason, registered on first use. */
  public void lineSkipped(SkipReason reason) {
    skipped.computeIfAbsent(reason, r -> Counter.builder("vault.capture.audit.lines.skipped").tag("region", region)
        .tag("reason", r.tag()).description("Audit lines that triggered nothing, by reason").register(registry))
        .increment();
  }

  /** Per event: the counter is looked up once per type, registered on first use. */
  public void published(String type) {
    publishedByType.computeIfAbsent(type, t -> Counter.builder("vault.capture.events.published")
        .tag("region", region).tag("type", t.toLowerCase(Locale.ROOT))
        .description("Events acknowledged by Kafka, by type").register(registry)).increment();
  }

  public void publishedAfter(Duration sinceCommit) {
    publishLatency.record(sinceCommit.isNegative() ? Duration.ZERO : sinceCommit);
  }

  public void overflow() {
    overflows.increment();
  }

  public void fenced() {
    fenced.increment();
  }

  public void writeWithoutData() {
    writesWithoutData.increment();
  }

  public void versionReadAlone() {
    versionsReadAlone.increment();
  }

  public void scanned(Duration took, long keys) {
    scanDuration.record(took);
    scanKeys.set(keys);
  }

  public void scanFailed() {
    Counter.builder("vault.capture.scan.failures").tag("region", region)
        .description("Scans that did not complete").register(registry).increment();
  }

  public void guardTripped(String source) {
    guardCounter(source).increment();
  }

  /**
   * The guard's counter of a source (a mount, or the policies) at 0 from the start: an alert on
   * increase() sees the first trip only when the series was there before it.
   */
  public void guardWatches(String source) {
    guardCounter(source);
  }

  private Counter guardCounter(String source) {
    return Counter.builder("vault.capture.scan.guard.tripped").tag("region", region).tag("source", source)
        .description("Scans whose deletes the empty-scan guard held back").register(registry);
  }

  public void kafkaRefused() {
    kafkaRefusals.increment();
  }

  public void primaryReadFailed(boolean retriable) {
    Counter.builder("vault.capture.primary.errors").tag("region", region)
        .tag("kind", retriable ? "retriable" : "permanent")
        .description("Failed reads of the primary").register(registry).increment();
  }

  private static double ageSeconds(CapturedThrough capturedThrough) {
    Instant value = capturedThrough.value();
    return value == null ? Double.NaN : Duration.between(value, Instant.now()).toMillis() / 1000.0;
  }
}
