package dev.vaultreplicator.apply;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.NO_DEFAULT_VALUE;

import dev.vaultreplicator.config.Durations;
import dev.vaultreplicator.config.KafkaSettings;
import dev.vaultreplicator.config.KeyFamily;
import dev.vaultreplicator.config.Validators;
import dev.vaultreplicator.config.VaultSettings;
import dev.vaultreplicator.vault.VaultConnection;
import dev.vaultreplicator.vault.VaultLogin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Apply's settings, declared once with type, default, validator and doc (as capture's are), parsed
 * once into typed fields. The standby token is a password type, so config errors print it hidden.
 */
public final class ApplyConfig {

  public static final String REGION = "region";
  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
  public static final String VAULT_ADDRESS = "vault.address";
  public static final String VAULT_TOKEN = "vault.token";
  public static final String VAULT_TOKEN_FILE = "vault.token.file";
  public static final String VAULT_TIMEOUT = "vault.timeout";
  public static final String PATH_REMAP = "path.remap";
  public static final String POISON_POLICY = "poison.policy";
  public static final String STREAM_THREADS = "stream.threads";
  public static final String STATE_DIR = "state.dir";
  public static final String INSTANCE_TIMEOUT = "instance.timeout";
  public static final String BACKOFF_INITIAL = "retry.backoff.initial";
  public static final String BACKOFF_MAX = "retry.backoff.max";
  public static final String METRICS_HOST = "metrics.host";
  public static final String METRICS_PORT = "metrics.port";
  public static final String KEYRING_FILE = "keyring.file";

  public static final List<KeyFamily> FAMILIES = List.of(KafkaSettings.FAMILY);

  public static final ConfigDef DEFINITION = VaultSettings.define(new ConfigDef()
      .define(REGION, Type.STRING, NO_DEFAULT_VALUE, Validators.regionName(), HIGH,
          "This standby's region, e.g. west. Apply applies while the control topic names another region primary.")
      .define(BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", new ConfigDef.NonEmptyString(), HIGH,
          "Kafka bootstrap servers.")
      .define(TOPIC_PREFIX, Type.STRING, "vr", new ConfigDef.NonEmptyStringWithoutControlChars(), MEDIUM,
          "Prefix of every topic: <prefix>.changes, <prefix>.applied.<region>, <prefix>.dlq.<region>, ...")
      .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1, Range.between(-1, 32), MEDIUM,
          "Replication factor of the topics apply creates; -1 takes the broker's default.")
      .define(VAULT_ADDRESS, Type.STRING, "http://127.0.0.1:8201", Validators.httpUrl(), HIGH,
          "Address of the standby Vault.")
      .define(VAULT_TOKEN, Type.PASSWORD, null, HIGH,
          "Token apply writes the standby with (see docs/apply.md for the policy it needs), when vault.auth.method is "
              + "token. Or vault.token.file.")
      .define(VAULT_TOKEN_FILE, Type.STRING, null, MEDIUM,
          "File holding the token, read once at start; used when vault.token is not set.")
      .define(VAULT_TIMEOUT, Type.STRING, "10s", Durations.atLeast(Duration.ofSeconds(1)), LOW,
          "Connect and read timeout of each Vault request."), "vault.")
      .define(PATH_REMAP, Type.LIST, "", remapRules(), MEDIUM,
          "Prefix remapping onto this standby: comma-separated mount:prefix=mount:prefix rules, e.g. "
              + "secret:prod/=dr:prod/. The longest matching prefix wins; policies are never remapped.")
      .define(POISON_POLICY, Type.STRING, PoisonPolicy.DLQ.configValue(), PoisonPolicy.validator(), MEDIUM,
          "What happens to a record that cannot be applied (undecodable, unopenable, stale epoch): dlq sends it to "
              + "<prefix>.dlq.<region> with a reason header and goes on; stop stops apply.")
      .define(STREAM_THREADS, Type.INT, 4, Range.between(1, 64), LOW,
          "Kafka Streams threads in this instance. Run more instances with the same region to share the partitions.")
      .define(STATE_DIR, Type.STRING, defaultStateDir(), new ConfigDef.NonEmptyString(), MEDIUM,
          "Directory of the local state store (a cache of the changelog topic; safe to lose).")
      .define(INSTANCE_TIMEOUT, Type.STRING, "30s", Durations.atLeast(Duration.ofSeconds(6)), LOW,
          "How long an apply instance may stay silent before the others of its region take over its partitions "
              + "(Kafka's session timeout).")
      .define(BACKOFF_INITIAL, Type.STRING, "200ms", Durations.atLeast(Duration.ofMillis(1)), LOW,
          "First wait before retrying the standby.")
      .define(BACKOFF_MAX, Type.STRING, "10s", Durations.atLeast(Duration.ofMillis(1)), LOW,
          "Longest wait between retries of the standby. Apply retries an unavailable standby for as long as it takes.")
      .define(METRICS_PORT, Type.INT, 9465, Range.between(-1, 65_535), MEDIUM,
          "Port of the Prometheus endpoint (/metrics) and the health endpoints (/health/live, /health/ready); 0 "
              + "picks a free one, -1 turns them off.")
      .define(METRICS_HOST, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyStringWithoutControlChars(), MEDIUM,
          "Address the metrics and health endpoints bind: 0.0.0.0 for every interface (Prometheus and probes "
              + "come from elsewhere), 127.0.0.1 for this host only. They carry no token and no secret.")
      .define(KEYRING_FILE, Type.STRING, null, HIGH,
          "Keyring file (owner-only permissions). When unset, the keyring is read from VAULT_REPLICATOR_KEYRING.");

  public final String region;
  public final KafkaSettings kafka;
  public final String topicPrefix;
  public final short replicationFactor;
  public final VaultConnection vault;
  public final VaultLogin vaultLogin;
  public final PathRemap remap;
  public final PoisonPolicy poisonPolicy;
  public final int streamThreads;
  public final Path stateDir;
  public final Duration instanceTimeout;
  public final Duration backoffInitial;
  public final Duration backoffMax;
  public final String metricsHost;
  public final int metricsPort;
  public final Path keyringFile;

  private ApplyConfig(Map<String, String> values) {
    AbstractConfig parsed = new AbstractConfig(DEFINITION, values, false);
    region = parsed.getString(REGION);
    kafka = KafkaSettings.from(parsed.getString(BOOTSTRAP_SERVERS), values, DEFINITION.names());
    topicPrefix = parsed.getString(TOPIC_PREFIX);
    replicationFactor = parsed.getShort(TOPIC_REPLICATION_FACTOR);
    vaultLogin = VaultSettings.login(parsed);
    vault = VaultSettings.connection(parsed);
    remap = PathRemap.parse(parsed.getList(PATH_REMAP));
    poisonPolicy = PoisonPolicy.of(parsed.getString(POISON_POLICY));
    streamThreads = parsed.getInt(STREAM_THREADS);
    stateDir = Path.of(parsed.getString(STATE_DIR));
    instanceTimeout = Durations.parse(parsed.getString(INSTANCE_TIMEOUT));
    backoffInitial = Durations.parse(parsed.getString(BACKOFF_INITIAL));
    backoffMax = Durations.parse(parsed.getString(BACKOFF_MAX));
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw new ConfigException(BACKOFF_MAX, parsed.getString(BACKOFF_MAX), "must not be below " + BACKOFF_INITIAL);
    }
    metricsHost = parsed.getString(METRICS_HOST);
    metricsPort = parsed.getInt(METRICS_PORT);
    String keyring = parsed.getString(KEYRING_FILE);
    keyringFile = keyring == null || keyring.isBlank() ? null : Path.of(keyring);
  }

  /** Parses and validates; throws {@link ConfigException} naming the offending key. */
  public static ApplyConfig from(Map<String, String> values) {
    return new ApplyConfig(values);
  }

  public static boolean isKnownKey(String key) {
    return DEFINITION.names().contains(key) || KafkaSettings.isPassthroughKey(key);
  }

  public ApplyTopics topics() {
    return ApplyTopics.of(topicPrefix, region);
  }

  /** Kafka Streams' application id: one per region, so each standby has its own offsets and state. */
  public String applicationId() {
    return topicPrefix + "-apply-" + region;
  }

  private static String defaultStateDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "vault-replicator").toString();
  }

  private static ConfigDef.Validator remapRules() {
    return (name, value) -> {
      try {
        PathRemap.parse((java.util.List<?>) value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    };
  }

  @Override
  public String toString() {
    return "ApplyConfig[region=" + region + ", vault=" + vault + ", topics=" + topicPrefix + ".*, remap="
        + remap + "]";
  }
}
