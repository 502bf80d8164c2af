package dev.vaultreplicator.testkit.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Says a broker is ready only when it does what its users need: an admin client creates a topic, and
 * a record produced to it with acks=all is consumed back.
 */
public final class BrokerProbe {

    static final String PROBE_TOPIC = "__testkit_probe";
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    private BrokerProbe() {
    }

    /**
     * Waits until the broker is ready, the deadline passes, or {@code alive} turns false.
     *
     * @throws IllegalStateException naming the last failure when it never becomes ready
     */
    public static void awaitReady(String bootstrapServers, Duration timeout, BooleanSupplier alive) {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("the broker process exited before it was ready");
            }
            try {
                roundTrip(bootstrapServers);
                return;
            } catch (Exception e) {
                last = e;
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IllegalStateException("the broker at " + bootstrapServers + " was not ready within " + timeout
                + (last == null ? "" : ": " + last), last);
    }

    private static void roundTrip(String bootstrapServers) throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(clientConfig(bootstrapServers))) {
            createProbeTopic(admin);
        }
        String marker = UUID.randomUUID().toString();
        TopicPartition partition = new TopicPartition(PROBE_TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers));
             KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrapServers))) {
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            long start = consumer.position(partition, ATTEMPT_TIMEOUT);
            producer.send(new ProducerRecord<>(PROBE_TOPIC, 0, marker, marker)).get(ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            consumer.seek(partition, start);
            Instant until = Instant.now().plus(ATTEMPT_TIMEOUT);
            while (Instant.now().isBefore(until)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (marker.equals(record.value())) {
                        return;
                    }
                }
            }
            throw new TimeoutException("the probe record was produced but not consumed back");
        }
    }

    private static void createProbeTopic(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            admin.createTopics(List.of(new NewTopic(PROBE_TOPIC, 1, (short) 1)))
                    .all().get(ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static Properties clientConfig(String bootstrapServers) {
        Properties props = new Properties();
        props.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000",
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200"));
        return props;
    }

    private static Properties producerConfig(String bootstrapServers) {
        Properties props = clientConfig(bootstrapServers);
        props.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static Properties consumerConfig(String bootstrapServers) {
        Properties props = clientConfig(bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }
}
