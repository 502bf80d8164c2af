package dev.vaultreplicator.promotion.log;

import dev.vaultreplicator.ReplicatorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A one-partition topic (the control log, the audit log): appended to, waiting for Kafka's
 * acknowledgement, and read again from the start for each question with one reader kept open.
 */
public final class PartitionLog implements AutoCloseable {

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(100);

  private final Producer<String, byte[]> producer;
  private final Supplier<Consumer<String, byte[]>> consumers;
  private final TopicPartition partition;
  private Consumer<String, byte[]> reader;

  public PartitionLog(Producer<String, byte[]> producer, Supplier<Consumer<String, byte[]>> consumers, String topic) {
    this.producer = producer;
    this.consumers = consumers;
    this.partition = new TopicPartition(topic, 0);
  }

  public String topic() {
    return partition.topic();
  }

  /** @return the record's offset, once Kafka acknowledged it */
  public long append(String key, byte[] value) {
    try {
      return producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), key, value))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
    } catch (Exception e) {
      throw new ReplicatorException("cannot append to " + partition.topic() + ": " + e.getClass().getSimpleName(), e);
    }
  }

  /** Every record with a value up to the end of the log as it is now. */
  public synchronized List<ConsumerRecord<String, byte[]>> readAll() {
    return readThrough(reader().endOffsets(List.of(partition)).get(partition) - 1);
  }

  /** Every record with a value up to {@code offset}, inclusive. */
  public synchronized List<ConsumerRecord<String, byte[]>> readThrough(long offset) {
    Consumer<String, byte[]> consumer = reader();
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    consumer.seekToBeginning(List.of(partition));
    while (consumer.position(partition) <= offset) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
        if (record.offset() <= offset && record.value() != null) {
          records.add(record);
        }
      }
    }
    return records;
  }

  private Consumer<String, byte[]> reader() {
    if (reader == null) {
      reader = consumers.get();
      reader.assign(List.of(partition));
    }
    return reader;
  }

  @Override
  public synchronized void close() {
    if (reader != null) {
      reader.close();
    }
  }
}
