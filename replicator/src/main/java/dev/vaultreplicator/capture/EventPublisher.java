package dev.vaultreplicator.capture;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The one writer of the changes topic: encodes each event and hands it to an idempotent,
 * {@code acks=all} producer. A ticket stays open until Kafka acknowledged the event, so
 * {@code captured_through} never passes it; an event Kafka refuses for good keeps its ticket, which
 * freezes heartbeats, and is reported through {@link #failure()}.
 */
public final class EventPublisher {

  /** Heartbeat keys start with {@code sys/}, which no Vault mount can: they never meet a secret's key. */
  public static String heartbeatKey(int partition) {
    return "sys/heartbeat/" + partition;
  }

  private final Producer<String, byte[]> producer;
  private final EventCodec codec;
  private final String topic;
  private final CaptureMetrics metrics;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public EventPublisher(Producer<String, byte[]> producer, EventCodec codec, String topic, CaptureMetrics metrics) {
    this.producer = producer;
    this.codec = codec;
    this.topic = topic;
    this.metrics = metrics;
  }

  /**
   * @param type the metric tag, e.g. the operation
   * @param commitTime when the primary committed it, for the latency metric; null when unknown (a scan)
   * @throws PublishException when the producer would not take the record in time (retriable)
   * @throws OversizeException when the event is larger than any reader accepts
   */
  public void send(String key, SpecificRecord event, String type, Instant commitTime, InFlight.Ticket ticket) {
    byte[] value = codec.encode(event);
    if (value.length > EventCodec.DEFAULT_MAX_EVENT_BYTES) {
      throw new OversizeException(key, value.length);
    }
    publish(key, value, ticket, () -> {
      metrics.published(type);
      if (commitTime != null) {
        metrics.publishedAfter(Duration.between(commitTime, Instant.now()));
      }
    });
  }

  /**
   * Removes a record key from the compacted topic: the data of a destroyed or pruned version, or
   * what a deleted secret left. Held by the ticket like an event, so a heartbeat never passes it.
   */
  public void tombstone(String key, InFlight.Ticket ticket) {
    publish(key, null, ticket, () -> metrics.published("tombstone"));
  }

  private void publish(String key, byte[] value, InFlight.Ticket ticket, Runnable acknowledged) {
    ticket.retain();
    Future<RecordMetadata> sent;
    try {
      sent = producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
        if (error == null) {
          acknowledged.run();
          ticket.release();
        } else if (!(error instanceof RetriableException)) {
          failure.compareAndSet(null, error);
        }
        // A retriable error comes only from send itself (see below): the delivery timeout is unbounded.
      });
    } catch (KafkaException e) {
      ticket.release();
      throw refused(key, e);
    }
    // Kafka reports a wait for metadata or buffer space that timed out (max.block.ms) through a
    // future that failed before send returned, not by throwing: the record was never taken.
    if (sent.isDone()) {
      try {
        sent.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RetriableException retriable) {
          ticket.release();
          throw refused(key, retriable);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static PublishException refused(String key, Exception e) {
    return new PublishException("Kafka did not take the record for " + key + ": " + e.getClass().getSimpleName(), e);
  }

  public void heartbeat(Heartbeat heartbeat) {
    int partition = heartbeat.getPartition();
    producer.send(new ProducerRecord<>(topic, partition, heartbeatKey(partition), codec.encode(heartbeat)),
        (metadata, error) -> {
          if (error == null) {
            metrics.published("heartbeat");
          }
        });
  }

  /** The first event Kafka refused for good, if any. */
  public Optional<Exception> failure() {
    return Optional.ofNullable(failure.get());
  }

  /** An event too large for the changes topic: the secret cannot be replicated as it is. */
  public static final class OversizeException extends dev.vaultreplicator.ReplicatorException {
    OversizeException(String key, int bytes) {
      super("event for " + key + " is " + bytes + " bytes, over the limit of " + EventCodec.DEFAULT_MAX_EVENT_BYTES);
    }
  }
}
