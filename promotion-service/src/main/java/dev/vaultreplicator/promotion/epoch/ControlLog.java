package dev.vaultreplicator.promotion.epoch;

import dev.vaultreplicator.ReplicatorException;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.events.EpochRecord;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The control topic as the promotion service uses it (design section 7, fencing by the log): a
 * claim to the next epoch is appended, then the partition is read back up to it. For each epoch
 * number the first record in the log wins, so two racing promotions, in one process or two, never
 * both win. Each claim has a key of its own, so compaction never lets a later claim replace the
 * first one.
 */
public final class ControlLog implements AutoCloseable {

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(100);

  /** What the log decided about a claim: {@code winner} is the first claim to that epoch. */
  public record Decision(EpochRecord winner, boolean won) { }

  private final Producer<String, byte[]> producer;
  private final Supplier<Consumer<String, byte[]>> consumers;
  private final TopicPartition partition;
  private final EventCodec codec;
  private Consumer<String, byte[]> reader;

  public ControlLog(Producer<String, byte[]> producer, Supplier<Consumer<String, byte[]>> consumers, String topic,
      EventCodec codec) {
    this.producer = producer;
    this.consumers = consumers;
    this.partition = new TopicPartition(topic, 0);
    this.codec = codec;
  }

  /** The current epoch: the highest number claimed, as its first claim says. Empty on an empty log. */
  public synchronized Optional<EpochRecord> current() {
    long end = reader().endOffsets(List.of(partition)).get(partition);
    return firstClaims(end - 1).current();
  }

  /** Appends {@code claim} and reads the log back to it. */
  public synchronized Decision claim(EpochRecord claim) {
    long offset;
    try {
      String key = "epoch-" + claim.getEpoch() + "/" + claim.getRequestId();
      offset = producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), key, codec.encode(claim)))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
    } catch (Exception e) {
      throw new ReplicatorException("cannot append the claim to epoch " + claim.getEpoch() + " to "
          + partition.topic() + ": " + e.getClass().getSimpleName(), e);
    }
    EpochRecord winner = firstClaims(offset).first(claim.getEpoch()).orElseThrow(() ->
        new ReplicatorException("the claim at offset " + offset + " of " + partition.topic() + " did not read back"));
    return new Decision(winner, claim.getRequestId().equals(winner.getRequestId()));
  }

  /** One reader, kept: the log is read again from the start for every question. */
  private Consumer<String, byte[]> reader() {
    if (reader == null) {
      reader = consumers.get();
      reader.assign(List.of(partition));
    }
    return reader;
  }

  private EpochClaims firstClaims(long throughOffset) {
    Consumer<String, byte[]> consumer = reader();
    EpochClaims claims = new EpochClaims();
    consumer.seekToBeginning(List.of(partition));
    while (consumer.position(partition) <= throughOffset) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
        if (record.offset() <= throughOffset && record.value() != null) {
          decode(record).ifPresent(claims::add);
        }
      }
    }
    return claims;
  }

  private Optional<EpochRecord> decode(ConsumerRecord<String, byte[]> record) {
    try {
      return Optional.of(codec.decode(record.value(), EpochRecord.class));
    } catch (EventDecodeException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized void close() {
    if (reader != null) {
      reader.close();
    }
  }
}
