package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureMetricsTest {

  @Test
  void shouldScrapeEveryCaptureMeterUnderItsPrometheusName() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CaptureMetrics metrics = new CaptureMetrics(registry, "east");
    // Micrometer's gauges hold what they read weakly: these must outlive the scrape (see the end).
    TriggerQueue queue = new TriggerQueue(10);
    InFlight inFlight = new InFlight();
    metrics.watch(queue, inFlight, new CapturedThrough(Duration.ZERO));

    metrics.lineReceived();
    metrics.lineReceived();
    metrics.lineSkipped(SkipReason.REQUEST_ENTRY);
    metrics.published("WRITE");
    metrics.published("heartbeat");
    metrics.publishedAfter(Duration.ofMillis(8));
    metrics.overflow();
    metrics.scanned(Duration.ofMillis(1500), 42);
    metrics.scanFailed();
    metrics.guardTripped("secret");
    metrics.primaryReadFailed(true);
    metrics.auditStreamDelivering(false);
    metrics.versionReadAlone();
    metrics.kafkaRefused();

    List<String> samples = registry.scrape().lines().filter(line -> !line.startsWith("#"))
        .filter(line -> !line.contains("quantile=")).sorted().toList();
    assertThat(samples).containsExactly(
        "vault_capture_audit_lines_received_total{region=\"east\"} 2.0",
        "vault_capture_audit_lines_skipped_total{reason=\"request-entry\",region=\"east\"} 1.0",
        "vault_capture_audit_stream_delivering{region=\"east\"} 0.0",
        "vault_capture_buffer_depth{region=\"east\"} 0.0",
        "vault_capture_buffer_overflows_total{region=\"east\"} 1.0",
        "vault_capture_commit_to_published_seconds_count{region=\"east\"} 1",
        "vault_capture_commit_to_published_seconds_max{region=\"east\"} 0.008",
        "vault_capture_commit_to_published_seconds_sum{region=\"east\"} 0.008",
        "vault_capture_events_published_total{region=\"east\",type=\"heartbeat\"} 1.0",
        "vault_capture_events_published_total{region=\"east\",type=\"write\"} 1.0",
        "vault_capture_fenced_changes_total{region=\"east\"} 0.0",
        "vault_capture_heartbeat_age_seconds{region=\"east\"} NaN",
        "vault_capture_in_flight{region=\"east\"} 0.0",
        "vault_capture_kafka_refusals_total{region=\"east\"} 1.0",
        "vault_capture_primary_errors_total{kind=\"retriable\",region=\"east\"} 1.0",
        "vault_capture_scan_duration_seconds_count{region=\"east\"} 1",
        "vault_capture_scan_duration_seconds_max{region=\"east\"} 1.5",
        "vault_capture_scan_duration_seconds_sum{region=\"east\"} 1.5",
        "vault_capture_scan_failures_total{region=\"east\"} 1.0",
        "vault_capture_scan_guard_tripped_total{region=\"east\",source=\"secret\"} 1.0",
        "vault_capture_scan_keys{region=\"east\"} 42.0",
        "vault_capture_versions_read_alone_total{region=\"east\"} 1.0",
        "vault_capture_writes_without_data_total{region=\"east\"} 0.0");
    assertThat(registry.scrape()).contains("vault_capture_commit_to_published_seconds{region=\"east\",quantile=\"0.99\"}");
    Reference.reachabilityFence(queue);
    Reference.reachabilityFence(inFlight);
  }
}
