package dev.vaultreplicator.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local broker itself: a real KRaft node that survives SIGKILL with every acknowledged record. */
class KafkaBrokerIT {

    @TempDir
    static Path directory;
    static KafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start(directory);
        System.out.printf("broker ready in %d ms on %s%n", broker.lastStartup().toMillis(), broker.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void everyAcknowledgedRecordSurvivesSigkillMidStream() throws Exception {
        String topic = createTopic("kill-mid-stream", 3);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread writer;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            // A bounded number in flight keeps the stream steady rather than a flood of buffered records.
            Semaphore inFlight = new Semaphore(200);
            writer = new Thread(() -> {
                for (int i = 0; sending.get(); i++) {
                    String value = "record-" + i;
                    inFlight.acquireUninterruptibly();
                    producer.send(new ProducerRecord<>(topic, value, value), (metadata, error) -> {
                        inFlight.release();
                        if (error == null) {
                            acknowledged.add(value);
                        }
                    });
                }
            });
            writer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 2_000);

            broker.kill();
            assertThat(broker.isRunning()).isFalse();
            int beforeKill = acknowledged.size();
            broker.restart();
            System.out.printf("broker ready again %d ms after SIGKILL%n", broker.lastStartup().toMillis());
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= beforeKill + 2_000);

            sending.set(false);
            writer.join();
            producer.flush();
        }

        assertThat(readAll(topic)).containsAll(acknowledged);
    }

    @Test
    void restartKeepsTheSamePortsAndData() throws Exception {
        String topic = createTopic("restart", 1);
        String bootstrapBefore = broker.bootstrapServers();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            producer.send(new ProducerRecord<>(topic, "k", "before-restart")).get(10, TimeUnit.SECONDS);
        }

        broker.restart();

        assertThat(broker.bootstrapServers()).isEqualTo(bootstrapBefore);
        assertThat(readAll(topic)).containsExactly("before-restart");
    }

    @Test
    void transactionsCommitOnASingleNode() throws Exception {
        String topic = createTopic("transactions", 1);
        Properties config = producerConfig();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "testkit-tx");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
        }

        assertThat(readAll(topic)).containsExactly("committed");
    }

    private static String createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(clientConfig())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    /** Every committed value in the topic, read from the start until the end offsets seen at the start. */
    private static List<String> readAll(String topic) {
        Properties config = clientConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(record.value());
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return values;
        }
    }

    private static Properties producerConfig() {
        Properties config = clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }

    private static Properties clientConfig() {
        Properties config = new Properties();
        config.put("bootstrap.servers", broker.bootstrapServers());
        return config;
    }
}
