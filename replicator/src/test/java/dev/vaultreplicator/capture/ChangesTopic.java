package dev.vaultreplicator.capture;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.Heartbeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a changes topic from the start as a test sees it: events apart from heartbeats, raw bytes kept. */
final class ChangesTopic implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final EventCodec codec = new EventCodec();
  private final List<SpecificRecord> events = new ArrayList<>();
  private final List<Heartbeat> heartbeats = new ArrayList<>();
  private final List<byte[]> raw = new ArrayList<>();
  private final List<String> keys = new ArrayList<>();
  private final List<String> tombstones = new ArrayList<>();
  private final List<Positioned> positioned = new ArrayList<>();

  /** A decoded record and where it sits on the topic. */
  record Positioned(int partition, long offset, SpecificRecord event) {}

  ChangesTopic(String bootstrap, String topic) {
    consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Every non-heartbeat event so far, in the order read (per key, the order published). */
  synchronized List<SpecificRecord> events() {
    poll();
    return List.copyOf(events);
  }

  synchronized List<Heartbeat> heartbeats() {
    poll();
    return List.copyOf(heartbeats);
  }

  /** Record keys of every record with a value, heartbeats included, in the order read. */
  synchronized List<String> keys() {
    poll();
    return List.copyOf(keys);
  }

  synchronized List<String> tombstones() {
    poll();
    return List.copyOf(tombstones);
  }

  /** Every decoded record, heartbeats included, with its partition and offset. */
  synchronized List<Positioned> positioned() {
    poll();
    return List.copyOf(positioned);
  }

  synchronized List<byte[]> rawValues() {
    poll();
    return List.copyOf(raw);
  }

  private void poll() {
    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      if (record.value() == null) {
        tombstones.add(record.key());
        continue;
      }
      keys.add(record.key());
      raw.add(record.value());
      SpecificRecord event = codec.decode(record.value());
      positioned.add(new Positioned(record.partition(), record.offset(), event));
      if (event instanceof Heartbeat heartbeat) {
        heartbeats.add(heartbeat);
      } else {
        events.add(event);
      }
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
