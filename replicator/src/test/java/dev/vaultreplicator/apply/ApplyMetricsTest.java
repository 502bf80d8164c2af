package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ApplyMetricsTest {

  /** The dead-letter alert fires on increase(): a series born at 1 would hide the first dead letter. */
  @Test
  void shouldShowEveryDeadLetterReasonAtZeroBeforeTheFirst() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ApplyMetrics metrics = new ApplyMetrics(registry, "west");

    assertThat(registry.find("vault.replication.dlq").counters()).hasSize(DlqReason.values().length)
        .allSatisfy(counter -> assertThat(counter.count()).isZero());

    metrics.deadLettered(DlqReason.STALE_EPOCH);
    assertThat(registry.get("vault.replication.dlq").tag("reason", "stale-epoch").counter().count()).isEqualTo(1);
  }
}
