package dev.vaultreplicator.devstack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.SecretChange;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ./devstack events}: the changes topic as a person reads it, sealed data shown only by size. */
@Command(name = "events", description = "Print the events on <prefix>.changes from the start; sealed data is "
        + "shown as its key id and size, never opened.")
final class EventsCommand implements Callable<Integer> {

    @ParentCommand
    Devstack parent;
    @Option(names = "--follow", description = "Keep printing new events until Ctrl-C.")
    boolean follow;
    @Option(names = "--heartbeats", description = "Print heartbeats too.")
    boolean heartbeats;

    @Override
    public Integer call() {
        Settings settings = Settings.load(parent.layout());
        String topic = settings.topicPrefix + ".changes";
        EventCodec codec = new EventCodec();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + settings.brokerPort,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (follow || partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    print(record, codec);
                }
            }
        }
        return 0;
    }

    private void print(ConsumerRecord<String, byte[]> record, EventCodec codec) {
        if (record.value() == null) {
            System.out.printf("p%d@%d %s  TOMBSTONE%n", record.partition(), record.offset(), record.key());
            return;
        }
        SpecificRecord event;
        try {
            event = codec.decode(record.value());
        } catch (EventDecodeException e) {
            System.out.printf("p%d@%d %s  undecodable: %s%n", record.partition(), record.offset(), record.key(), e.reason());
            return;
        }
        String text;
        if (event instanceof SecretChange c) {
            text = String.format("%s v%d%s epoch %d commit %s%s", c.getOperation(), c.getSourceVersion(),
                    c.getVersions().isEmpty() ? "" : " versions " + c.getVersions(), c.getEpoch(), c.getCommitTime(),
                    c.getSealedData() == null ? "" : String.format(" sealed[key %s, %d bytes]",
                            c.getSealedData().getKeyId(), c.getSealedData().getCiphertext().remaining()));
        } else if (event instanceof PolicyChange p) {
            text = String.format("POLICY %s epoch %d commit %s", p.getOperation(), p.getEpoch(), p.getCommitTime());
        } else if (event instanceof Heartbeat h) {
            if (!heartbeats) {
                return;
            }
            text = String.format("HEARTBEAT captured_through %s epoch %d", h.getCapturedThrough(), h.getEpoch());
        } else {
            text = event.getClass().getSimpleName();
        }
        System.out.printf("p%d@%d %s  %s%n", record.partition(), record.offset(), record.key(), text);
    }
}
