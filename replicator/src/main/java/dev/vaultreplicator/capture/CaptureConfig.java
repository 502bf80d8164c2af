package dev.vaultreplicator.capture;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Capture's settings, each declared once with its type, default, validator and doc, and parsed
 * once into typed fields. Invalid config refuses to start with a message naming the key; the
 * token is a password type, so Kafka's config errors print it as {@code [hidden]}.
 */
public final class CaptureConfig {

  public static final String REGION = "region";
  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String TOPIC_PARTITIONS = "topic.partitions";
  public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
  public static final String VAULT_ADDRESS = "vault.address";
  public static final String VAULT_TOKEN = "vault.token";
  public static final String VAULT_TOKEN_FILE = "vault.token.file";
  public static final String VAULT_TIMEOUT = "vault.timeout";
  public static final String MOUNTS = "mounts";
  public static final String POLICIES = "policies.replicate";
  public static final String AUDIT_HOST = "audit.listen.host";
  public static final String AUDIT_PORT = "audit.listen.port";
  public static final String AUDIT_BUFFER = "audit.buffer.size";
  public static final String AUDIT_ALLOWANCE = "audit.delivery.allowance";
  public static final String READ_THREADS = "primary.read.threads";
  public static final String SCAN_INTERVAL = "scan.interval";
  public static final String SCAN_THREADS = "scan.threads";
  public static final String SCAN_RATE = "scan.rate.max";
  public static final String GUARD_RATIO = "scan.guard.ratio";
  public static final String GUARD_MIN_KEYS = "scan.guard.min.keys";
  public static final String HEARTBEAT_INTERVAL = "heartbeat.interval";
  public static final String BACKOFF_INITIAL = "retry.backoff.initial";
  public static final String BACKOFF_MAX = "retry.backoff.max";
  public static final String EPOCH_BOOTSTRAP = "epoch.bootstrap";
  public static final String METRICS_HOST = "metrics.host";
  public static final String METRICS_PORT = "metrics.port";
  public static final String KEYRING_FILE = "keyring.file";

  /** {@code mount.<name>.include} and {@code mount.<name>.exclude}: comma-separated globs. */
  private static final Pattern MOUNT_FILTER = Pattern.compile("mount\\.(.+)\\.(include|exclude)");

  public static final List<KeyFamily> FAMILIES = List.of(
      KafkaSettings.FAMILY,
      new KeyFamily("mount.<name>.include", "mount.secret.include",
          "Comma-separated globs over the key path of mount <name> (one of mounts): only matching keys are "
              + "replicated. * matches within a segment, ** across segments."),
      new KeyFamily("mount.<name>.exclude", "mount.secret.exclude",
          "Comma-separated globs over the key path of mount <name>: matching keys are not replicated, even when "
              + "an include matches."));

  public static final ConfigDef DEFINITION = VaultSettings.define(new ConfigDef()
      .define(REGION, Type.STRING, NO_DEFAULT_VALUE, Validators.regionName(), HIGH,
          "This replicator's region, e.g. east. Capture publishes only while the control topic names it primary.")
      .define(BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", new ConfigDef.NonEmptyString(), HIGH,
          "Kafka bootstrap servers.")
      .define(TOPIC_PREFIX, Type.STRING, "vr", new ConfigDef.NonEmptyStringWithoutControlChars(), MEDIUM,
          "Prefix of every topic: <prefix>.changes, <prefix>.control, ...")
      .define(TOPIC_PARTITIONS, Type.INT, 12, Range.between(1, 10_000), MEDIUM,
          "Partitions of <prefix>.changes when capture creates it; an existing topic keeps its count.")
      .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1, Range.between(-1, 32), MEDIUM,
          "Replication factor of topics capture creates; -1 takes the broker's default.")
      .define(VAULT_ADDRESS, Type.STRING, "http://127.0.0.1:8200", Validators.httpUrl(), HIGH,
          "Address of the primary Vault.")
      .define(VAULT_TOKEN, Type.PASSWORD, null, HIGH,
          "Token capture reads the primary with (see docs/capture.md for the policy it needs), when vault.auth.method "
              + "is token. Or vault.token.file.")
      .define(VAULT_TOKEN_FILE, Type.STRING, null, MEDIUM,
          "File holding the token, read once at start; used when vault.token is not set.")
      .define(VAULT_TIMEOUT, Type.STRING, "10s", Durations.atLeast(Duration.ofSeconds(1)), LOW,
          "Connect and read timeout of each Vault request."), "vault.")
      .define(MOUNTS, Type.LIST, "secret", ConfigDef.ValidList.anyNonDuplicateValues(false, false), HIGH,
          "KV mounts to replicate (names without the trailing slash). Each may have mount.<name>.include and "
              + "mount.<name>.exclude: comma-separated globs over the key path (* within a segment, ** across).")
      .define(POLICIES, Type.BOOLEAN, true, MEDIUM, "Replicate ACL policies (every one but root).")
      .define(AUDIT_HOST, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), HIGH,
          "Address the audit socket listener binds; the primary's socket audit device connects to it.")
      .define(AUDIT_PORT, Type.INT, 9090, Range.between(0, 65_535), HIGH,
          "Port of the audit socket listener; 0 picks a free one.")
      .define(AUDIT_BUFFER, Type.INT, 10_000, Range.between(1, 10_000_000), MEDIUM,
          "Changed paths waiting to be read from the primary. When full, capture falls back to a scan.")
      .define(AUDIT_ALLOWANCE, Type.STRING, "250ms", Durations.atLeast(Duration.ZERO), LOW,
          "How far captured_through stays behind the newest healthy check of the primary: Vault commits a change "
              + "just before it writes the audit line.")
      .define(READ_THREADS, Type.INT, 4, Range.between(1, 64), LOW,
          "Threads reading changed paths from the primary. Changes to one key are always read and published in "
              + "order; more threads publish different keys side by side.")
      .define(SCAN_INTERVAL, Type.STRING, "5m", Durations.atLeast(Duration.ofSeconds(1)), MEDIUM,
          "Time between scans of every replicated mount and the policy list.")
      .define(SCAN_THREADS, Type.INT, 4, Range.between(1, 64), LOW,
          "Threads a scan reads keys with, side by side. A key is never read by two at once.")
      .define(SCAN_RATE, Type.INT, 1000, Range.atLeast(0), MEDIUM,
          "Most keys a scan reads a second, over all its threads, so that a scan of a large Vault leaves the primary "
              + "room for its clients; 0 for no bound. Each key is one metadata read, plus a data read per new version.")
      .define(GUARD_RATIO, Type.DOUBLE, 0.5, Range.between(0, 1), MEDIUM,
          "Empty-scan guard: a scan listing fewer keys in a mount than this share of those published publishes no deletes.")
      .define(GUARD_MIN_KEYS, Type.INT, 10, Range.atLeast(0), LOW,
          "The guard applies to a mount once at least this many of its keys were published.")
      .define(HEARTBEAT_INTERVAL, Type.STRING, "1s", Durations.atLeast(Duration.ofMillis(100)), MEDIUM,
          "Time between heartbeats on every partition.")
      .define(BACKOFF_INITIAL, Type.STRING, "200ms", Durations.atLeast(Duration.ofMillis(1)), LOW,
          "First wait before retrying the primary.")
      .define(BACKOFF_MAX, Type.STRING, "30s", Durations.atLeast(Duration.ofMillis(1)), LOW,
          "Longest wait between retries of the primary.")
      .define(EPOCH_BOOTSTRAP, Type.BOOLEAN, false, MEDIUM,
          "When the control topic is empty, claim epoch 1 for this region. Set it in the first primary's config only.")
      .define(METRICS_PORT, Type.INT, 9464, Range.between(-1, 65_535), MEDIUM,
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
  public final int partitions;
  public final short replicationFactor;
  public final VaultConnection vault;
  public final VaultLogin vaultLogin;
  public final List<String> mounts;
  public final Map<String, PathFilter> mountFilters;
  public final boolean replicatePolicies;
  public final String auditHost;
  public final int auditPort;
  public final int auditBufferSize;
  public final Duration auditDeliveryAllowance;
  public final int readThreads;
  public final Duration scanInterval;
  public final int scanThreads;
  public final int scanRate;
  public final double guardRatio;
  public final int guardMinKeys;
  public final Duration heartbeatInterval;
  public final Duration backoffInitial;
  public final Duration backoffMax;
  public final boolean epochBootstrap;
  public final String metricsHost;
  public final int metricsPort;
  public final Path keyringFile;

  private CaptureConfig(Map<String, String> values) {
    AbstractConfig parsed = new AbstractConfig(DEFINITION, dynamicKeysRemoved(values), false);
    region = parsed.getString(REGION);
    kafka = KafkaSettings.from(parsed.getString(BOOTSTRAP_SERVERS), values, DEFINITION.names());
    topicPrefix = parsed.getString(TOPIC_PREFIX);
    partitions = parsed.getInt(TOPIC_PARTITIONS);
    replicationFactor = parsed.getShort(TOPIC_REPLICATION_FACTOR);
    vaultLogin = VaultSettings.login(parsed);
    vault = VaultSettings.connection(parsed);
    mounts = parsed.getList(MOUNTS).stream().map(CaptureConfig::mountName).distinct().toList();
    mountFilters = mountFilters(values, mounts);
    replicatePolicies = parsed.getBoolean(POLICIES);
    auditHost = parsed.getString(AUDIT_HOST);
    auditPort = parsed.getInt(AUDIT_PORT);
    auditBufferSize = parsed.getInt(AUDIT_BUFFER);
    auditDeliveryAllowance = Durations.parse(parsed.getString(AUDIT_ALLOWANCE));
    readThreads = parsed.getInt(READ_THREADS);
    scanInterval = Durations.parse(parsed.getString(SCAN_INTERVAL));
    scanThreads = parsed.getInt(SCAN_THREADS);
    scanRate = parsed.getInt(SCAN_RATE);
    guardRatio = parsed.getDouble(GUARD_RATIO);
    guardMinKeys = parsed.getInt(GUARD_MIN_KEYS);
    heartbeatInterval = Durations.parse(parsed.getString(HEARTBEAT_INTERVAL));
    backoffInitial = Durations.parse(parsed.getString(BACKOFF_INITIAL));
    backoffMax = Durations.parse(parsed.getString(BACKOFF_MAX));
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw new ConfigException(BACKOFF_MAX, parsed.getString(BACKOFF_MAX), "must not be below " + BACKOFF_INITIAL);
    }
    epochBootstrap = parsed.getBoolean(EPOCH_BOOTSTRAP);
    metricsHost = parsed.getString(METRICS_HOST);
    metricsPort = parsed.getInt(METRICS_PORT);
    String keyring = parsed.getString(KEYRING_FILE);
    keyringFile = keyring == null || keyring.isBlank() ? null : Path.of(keyring);
  }

  /** Parses and validates; throws {@link ConfigException} naming the offending key. */
  public static CaptureConfig from(Map<String, String> values) {
    return new CaptureConfig(values);
  }

  /** Whether a key may appear in a capture config file. */
  public static boolean isKnownKey(String key) {
    return DEFINITION.names().contains(key) || MOUNT_FILTER.matcher(key).matches()
        || KafkaSettings.isPassthroughKey(key);
  }

  public Set<String> declaredKeys() {
    return DEFINITION.names();
  }

  public String changesTopic() {
    return topicPrefix + ".changes";
  }

  public String controlTopic() {
    return topicPrefix + ".control";
  }

  /** What this region's Vault committed while the epoch named another region (capture's {@code FencedChanges}). */
  public String fencedTopic() {
    return topicPrefix + ".fenced";
  }

  private static Map<String, String> dynamicKeysRemoved(Map<String, String> values) {
    Map<String, String> declared = new HashMap<>(values);
    declared.keySet().removeIf(key -> MOUNT_FILTER.matcher(key).matches());
    return declared;
  }

  private static Map<String, PathFilter> mountFilters(Map<String, String> values, List<String> mounts) {
    Map<String, List<String>> includes = new HashMap<>();
    Map<String, List<String>> excludes = new HashMap<>();
    values.forEach((key, value) -> {
      Matcher m = MOUNT_FILTER.matcher(key);
      if (!m.matches()) {
        return;
      }
      if (!mounts.contains(m.group(1))) {
        throw new ConfigException(key, value, "mount '" + m.group(1) + "' is not in " + MOUNTS);
      }
      List<String> globs = List.of(value.split("\\s*,\\s*")).stream().filter(g -> !g.isBlank()).toList();
      (m.group(2).equals("include") ? includes : excludes).put(m.group(1), globs);
    });
    Map<String, PathFilter> filters = new LinkedHashMap<>();
    for (String mount : mounts) {
      List<String> include = includes.getOrDefault(mount, List.of());
      List<String> exclude = excludes.getOrDefault(mount, List.of());
      try {
        filters.put(mount, PathFilter.of(include, exclude));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("mount." + mount + ".include/exclude: invalid glob: " + e.getMessage());
      }
    }
    return filters;
  }

  private static String mountName(String mount) {
    String name = mount.strip();
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.isEmpty() || name.startsWith("/") || name.equals("sys") || name.startsWith("sys/")) {
      throw new ConfigException(MOUNTS, mount, "not a KV mount name");
    }
    return name;
  }

  @Override
  public String toString() {
    return "CaptureConfig[region=" + region + ", vault=" + vault + ", mounts=" + mounts
        + ", topics=" + topicPrefix + ".*]";
  }
}
