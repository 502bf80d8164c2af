package dev.vaultreplicator.promotion.audit;

import dev.vaultreplicator.ReplicatorException;
import dev.vaultreplicator.Sha256;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.events.PromotionAudit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The audit topic: every decision as a {@link PromotionAudit}, each carrying the SHA-256 of the
 * record before it (of its encoded bytes), so a record removed, altered or inserted breaks the
 * chain where it happened. One partition, so the log has one order.
 */
public final class AuditLog implements AutoCloseable {

  /** What the first record of the chain names as its predecessor. */
  public static final String GENESIS = "0".repeat(64);

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(100);

  /** One record as read, with where it sits. */
  public record Entry(long offset, PromotionAudit audit, String sha256) { }

  /** Whether the chain holds; {@code brokenAt} is the offset of the first record that does not follow, or -1. */
  public record Verification(boolean verifies, long brokenAt, String reason) { }

  private final Producer<String, byte[]> producer;
  private final Supplier<Consumer<String, byte[]>> consumers;
  private final TopicPartition partition;
  private final EventCodec codec;
  private Consumer<String, byte[]> reader;

  public AuditLog(Producer<String, byte[]> producer, Supplier<Consumer<String, byte[]>> consumers, String topic,
      EventCodec codec) {
    this.producer = producer;
    this.consumers = consumers;
    this.partition = new TopicPartition(topic, 0);
    this.codec = codec;
  }

  /**
   * Appends the record, chained to the last one in the log; its {@code previous_sha256} is set
   * here. The log is read to its end first, so appends from several service instances chain as
   * long as they do not happen at the same moment (docs/promotion.md).
   */
  public synchronized PromotionAudit append(PromotionAudit.Builder record) {
    List<Entry> entries = readAll();
    String last = entries.isEmpty() ? GENESIS : entries.get(entries.size() - 1).sha256();
    PromotionAudit audit = record.setPreviousSha256(last).build();
    byte[] bytes = codec.encode(audit);
    try {
      producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), audit.getRequestId(), bytes))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new ReplicatorException("cannot append to the audit topic " + partition.topic() + ": "
          + e.getClass().getSimpleName(), e);
    }
    return audit;
  }

  public synchronized List<Entry> readAll() {
    if (reader == null) {
      reader = consumers.get();
      reader.assign(List.of(partition));
    }
    List<Entry> entries = new ArrayList<>();
    Map<TopicPartition, Long> end = reader.endOffsets(List.of(partition));
    reader.seekToBeginning(List.of(partition));
    while (reader.position(partition) < end.get(partition)) {
      for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
        if (record.value() != null && record.offset() < end.get(partition)) {
          entries.add(new Entry(record.offset(), decode(record.value()), Sha256.hex(record.value())));
        }
      }
    }
    return entries;
  }

  public static Verification verify(List<Entry> entries) {
    String previous = GENESIS;
    for (Entry entry : entries) {
      if (entry.audit() == null) {
        return new Verification(false, entry.offset(), "the record at offset " + entry.offset() + " does not decode");
      }
      if (!entry.audit().getPreviousSha256().equals(previous)) {
        return new Verification(false, entry.offset(), "the record at offset " + entry.offset()
            + " does not follow the one before it: it names another predecessor");
      }
      previous = entry.sha256();
    }
    return new Verification(true, -1, "");
  }

  private PromotionAudit decode(byte[] bytes) {
    try {
      return codec.decode(bytes, PromotionAudit.class);
    } catch (EventDecodeException e) {
      return null;
    }
  }


  @Override
  public synchronized void close() {
    if (reader != null) {
      reader.close();
    }
  }
}
