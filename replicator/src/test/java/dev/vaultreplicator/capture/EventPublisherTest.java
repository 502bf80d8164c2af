package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.PolicyOperation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real producer with no broker behind it: it can learn no partition's leader, so each send
 * waits {@code max.block.ms} for metadata and gives up. Kafka reports that through the record's
 * callback and future, not by throwing.
 */
class EventPublisherTest {

  private final Producer<String, byte[]> producer = new KafkaProducer<>(Map.of(
      ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
      ProducerConfig.MAX_BLOCK_MS_CONFIG, 200), new StringSerializer(), new ByteArraySerializer());
  private final InFlight inFlight = new InFlight();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EventPublisher publisher = new EventPublisher(producer, new EventCodec(), "vr.changes",
      new CaptureMetrics(registry, "east"));

  @AfterEach
  void closeProducer() {
    producer.close();
  }

  @Test
  void shouldRefuseRetriablyAndReleaseTheTicketWhenKafkaCannotTakeTheRecordInTime() {
    InFlight.Ticket ticket = inFlight.open(Instant.now());

    assertThatThrownBy(() -> publisher.send("policy/app", policy(), "write", Instant.now(), ticket))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("Kafka did not take the record for policy/app");
    assertThatThrownBy(() -> publisher.tombstone("policy/app", ticket)).isInstanceOf(PublishException.class);

    // Not a failure for good: capture goes on, and retries the change.
    assertThat(publisher.failure()).isEmpty();
    ticket.release();
    assertThat(inFlight.size()).as("only the opener held the ticket").isZero();
  }

  private static PolicyChange policy() {
    return PolicyChange.newBuilder().setSourceRegion("east").setEpoch(1).setName("app")
        .setOperation(PolicyOperation.WRITE).setPolicy("path \"x\" {}")
        .setCommitTime(Instant.now()).setCaptureTime(Instant.now()).build();
  }
}
