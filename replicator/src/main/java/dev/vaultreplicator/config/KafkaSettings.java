package dev.vaultreplicator.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What every Kafka client of a component is given: the bootstrap servers, and every other
 * {@code kafka.<setting>} of its config with the prefix taken off (TLS, SASL, timeouts, Kafka's
 * config providers for secrets in files). A setting no Kafka client knows is refused, as our own
 * unknown keys are; so is one that a client sets itself for its guarantees (acks, idempotence,
 * isolation, ...), when that client is made.
 */
public final class KafkaSettings {

  public static final String PREFIX = "kafka.";

  /** The {@code kafka.<setting>} keys, as every component's configuration reference lists them. */
  public static final KeyFamily FAMILY = new KeyFamily(PREFIX + "<setting>", PREFIX + "security.protocol",
      "Any setting of Kafka's producer, consumer, admin or streams clients (security.protocol, ssl.*, sasl.*, "
          + "config.providers, ...), passed to every Kafka client of this component without the kafka. prefix. "
          + "One the component sets itself for its guarantees is refused.");

  private static final Set<String> CLIENT_SETTINGS = clientSettings();

  private final String bootstrapServers;
  private final Map<String, String> passthrough;

  private KafkaSettings(String bootstrapServers, Map<String, String> passthrough) {
    this.bootstrapServers = bootstrapServers;
    this.passthrough = Map.copyOf(passthrough);
  }

  /**
   * @param values the component's whole config
   * @param declared the keys it declares itself ({@code kafka.bootstrap.servers} among them)
   */
  public static KafkaSettings from(String bootstrapServers, Map<String, String> values, Set<String> declared) {
    Map<String, String> passthrough = new TreeMap<>();
    values.forEach((key, value) -> {
      if (key.startsWith(PREFIX) && !declared.contains(key)) {
        String setting = key.substring(PREFIX.length());
        if (!isClientSetting(setting)) {
          throw new ConfigException(key, "[hidden]", "not a setting of Kafka's producer, consumer, admin or streams "
              + "clients");
        }
        passthrough.put(setting, value);
      }
    });
    return new KafkaSettings(bootstrapServers, passthrough);
  }

  /** Whether {@code kafka.<setting>} may appear in a config file. */
  public static boolean isPassthroughKey(String key) {
    return key.startsWith(PREFIX) && isClientSetting(key.substring(PREFIX.length()));
  }

  /** The settings of one client: the passed-through ones, the bootstrap servers and the client's own. */
  public Map<String, Object> client(Map<String, ?> own) {
    Set<String> clashes = new TreeSet<>(own.keySet());
    clashes.retainAll(passthrough.keySet());
    if (!clashes.isEmpty()) {
      throw new ConfigException(PREFIX + clashes.iterator().next(), "[hidden]",
          "vault-replicator sets it itself for this client's guarantees; remove it from the config");
    }
    Map<String, Object> settings = new HashMap<>(passthrough);
    settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    settings.putAll(own);
    return settings;
  }

  /** The passed-through setting names, for logs: never their values, which may be passwords. */
  public Set<String> passedThrough() {
    return new TreeSet<>(passthrough.keySet());
  }

  private static boolean isClientSetting(String setting) {
    // config.providers.<name>.class and .param.<param>: Kafka's way to read a secret from a file.
    return CLIENT_SETTINGS.contains(setting) || setting.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".");
  }

  private static Set<String> clientSettings() {
    Set<String> names = new TreeSet<>();
    names.addAll(ProducerConfig.configNames());
    names.addAll(ConsumerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    names.addAll(StreamsConfig.configDef().names());
    return Set.copyOf(names);
  }
}
