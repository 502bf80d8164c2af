package dev.vaultreplicator.promotion;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import dev.vaultreplicator.config.Durations;
import dev.vaultreplicator.config.KafkaSettings;
import dev.vaultreplicator.config.KeyFamily;
import dev.vaultreplicator.config.Validators;
import dev.vaultreplicator.config.VaultSettings;
import dev.vaultreplicator.tls.PemTls;
import dev.vaultreplicator.vault.VaultConnection;
import dev.vaultreplicator.vault.VaultLogin;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The promotion service's settings, declared once (as capture's and apply's are), parsed once. */
public final class PromotionConfig {

  public static final String REGIONS = "regions";
  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String HTTP_TLS_CERT_FILE = "http.tls.cert.file";
  public static final String HTTP_TLS_KEY_FILE = "http.tls.key.file";
  public static final String HTTP_TLS_KEYSTORE_FILE = "http.tls.keystore.file";
  public static final String HTTP_TLS_KEYSTORE_PASSWORD = "http.tls.keystore.password";
  public static final String MAX_LAG = "check.max.lag";
  public static final String MAX_PENDING = "check.max.pending";
  public static final String RECOVERY_BLOCK = "check.recovery.block";
  public static final String TOKEN_FILE = "auth.token.file";
  public static final String METRICS_PUBLIC = "metrics.public";
  public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
  public static final String MIN_TOKEN_TTL = "check.min.token.ttl";
  public static final String CERT_MIN_VALIDITY = "check.cert.min.validity";
  public static final String DRIFT_MAX_AGE = "check.drift.max.age";
  public static final String INSPECT_INTERVAL = "inspect.interval";
  public static final String INSPECT_MOUNTS = "inspect.mounts";
  public static final String DRILL_INTERVAL = "drill.interval";
  public static final String VAULT_TIMEOUT = "vault.timeout";
  public static final String VETO_URL = "veto.url";
  public static final String VETO_TIMEOUT = "veto.timeout";

  /**
   * {@code vault.<region>.address}, {@code .token}, {@code .token.file} and the connection settings of
   * {@link VaultSettings}: one family per region.
   */
  private static final Set<String> VAULT_ENDPOINT_KEYS = Set.of("address", "token", "token.file");
  private static final Pattern VAULT_KEY = Pattern.compile("vault\\.([a-z0-9][a-z0-9-]{0,62})\\.(.+)");

  public static final List<KeyFamily> FAMILIES = Stream.concat(Stream.of(
      KafkaSettings.FAMILY,
      new KeyFamily("vault.<region>.address", "vault.west.address",
          "Address of region <region>'s Vault (a standby of regions, or the primary). Without it the checks that "
              + "read that Vault fail as not configured, so it cannot be promoted."),
      new KeyFamily("vault.<region>.token", "vault.west.token",
          "Token the service reads region <region>'s Vault with (see docs/promotion.md for its policy). Or "
              + "vault.<region>.token.file."),
      new KeyFamily("vault.<region>.token.file", "vault.west.token.file",
          "File holding region <region>'s token, read once at start; used when vault.<region>.token is not set.")),
      VaultSettings.SETTINGS.stream().map(setting -> new KeyFamily("vault.<region>." + setting.name(),
          "vault.west." + setting.name(), "For region <region>'s Vault: " + Character.toLowerCase(setting.documentation().charAt(0))
              + setting.documentation().substring(1))))
      .toList();

  public static final ConfigDef DEFINITION = new ConfigDef()
      .define(REGIONS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, regionList(), HIGH,
          "The standby regions to follow and judge, comma-separated, e.g. west,north.")
      .define(BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", new ConfigDef.NonEmptyString(), HIGH,
          "Kafka bootstrap servers.")
      .define(TOPIC_PREFIX, Type.STRING, "vr", new ConfigDef.NonEmptyStringWithoutControlChars(), MEDIUM,
          "Prefix of every topic: <prefix>.changes, <prefix>.applied.<region>, <prefix>.control, ...")
      .define(HTTP_HOST, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyStringWithoutControlChars(), HIGH,
          "Address the API and the dashboard listen on: 127.0.0.1 for this host only, 0.0.0.0 for every interface. "
              + "Callers send bearer tokens in every request, so any address but a loopback one needs TLS "
              + "(http.tls.*); the service refuses to start without it.")
      .define(HTTP_PORT, Type.INT, 8088, Range.between(0, 65_535), HIGH,
          "Port of the HTTP API, the health endpoints and /metrics; 0 picks a free one.")
      .define(HTTP_TLS_CERT_FILE, Type.STRING, null, HIGH,
          "PEM file of the listener's certificate chain: with http.tls.key.file, the API speaks https only.")
      .define(HTTP_TLS_KEY_FILE, Type.STRING, null, HIGH,
          "PEM file of the listener certificate's private key, unencrypted (PKCS#1, PKCS#8 or EC).")
      .define(HTTP_TLS_KEYSTORE_FILE, Type.STRING, null, MEDIUM,
          "A key store (PKCS#12 or JKS) holding the listener's key and certificate chain, instead of the PEM files.")
      .define(HTTP_TLS_KEYSTORE_PASSWORD, Type.PASSWORD, null, MEDIUM,
          "Password of http.tls.keystore.file and of the key in it.")
      .define(MAX_LAG, Type.STRING, "5s", Durations.atLeast(Duration.ZERO), MEDIUM,
          "replication-lag fails above this lag (capture watermark minus applied watermark).")
      .define(MAX_PENDING, Type.LONG, 0L, Range.atLeast(0), MEDIUM,
          "replication-lag fails with more events than this on the changes topic not yet applied.")
      .define(RECOVERY_BLOCK, Type.STRING, "1h", Durations.atLeast(Duration.ZERO), MEDIUM,
          "recovery-block fails for this long after a promotion, so a flapping signal cannot bounce the primary; "
              + "a request passes it only with recovery_block_ack (a comment, audited), force alone does not.")
      .define(TOKEN_FILE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), HIGH,
          "File of API callers, one per line: <name> <role> <sha256 of the token>; roles viewer, operator, "
              + "breakglass. Owner-only permissions.")
      .define(METRICS_PUBLIC, Type.BOOLEAN, true, MEDIUM,
          "Whether /metrics answers without a token (false: a viewer token is needed).")
      .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1, Range.between(-1, 32), MEDIUM,
          "Replication factor of the topics the service creates (audit, control); -1 takes the broker's default.")
      .define(MIN_TOKEN_TTL, Type.STRING, "1h", Durations.atLeast(Duration.ZERO), MEDIUM,
          "standby-credential fails when the region's token expires sooner than this.")
      .define(CERT_MIN_VALIDITY, Type.STRING, "168h", Durations.atLeast(Duration.ZERO), MEDIUM,
          "certificates fails for a PEM certificate in a replicated secret that expires sooner than this.")
      .define(DRIFT_MAX_AGE, Type.STRING, "15m", Durations.atLeast(Duration.ofSeconds(1)), MEDIUM,
          "drift fails when the last clean comparison of primary and standby is older than this (the primary "
              + "being down excepted).")
      .define(INSPECT_INTERVAL, Type.STRING, "5m", Durations.atLeast(Duration.ofMillis(100)), MEDIUM,
          "How often each standby is compared with the primary (drift) and scanned for certificates; also at start.")
      .define(DRILL_INTERVAL, Type.STRING, "24h", Durations.atLeast(Duration.ZERO), MEDIUM,
          "How often every region is drilled (every check and a promotion dry run, in the audit chain), the "
              + "first one interval after start; 0s schedules none.")
      .define(VETO_URL, Type.STRING, "", optional(Validators.httpUrl()), MEDIUM,
          "An http(s) endpoint POSTed the region, caller, reason, flags and checks before every promotion and dry "
              + "run: any answer but 2xx, or none within veto.timeout, refuses it unless forced. Empty: no hook.")
      .define(VETO_TIMEOUT, Type.STRING, "5s", Durations.atLeast(Duration.ofMillis(1)), MEDIUM,
          "How long a promotion waits for the veto hook's answer; no answer in time is a veto.")
      .define(INSPECT_MOUNTS, Type.LIST, "secret", MEDIUM,
          "The replicated KV mounts that drift compares and the certificate scan reads.")
      .define(VAULT_TIMEOUT, Type.STRING, "5s", Durations.atLeast(Duration.ofMillis(100)), LOW,
          "Connect and read timeout of each Vault request. Each region's Vault is vault.<region>.address with "
              + "vault.<region>.token or vault.<region>.token.file; name the primary's too.");

  public final List<String> regions;
  public final KafkaSettings kafka;
  public final String topicPrefix;
  public final String httpHost;
  public final int httpPort;
  /** The API listener's TLS; {@code null} for plain HTTP, which only a loopback address may have. */
  public final SSLContext httpTls;
  public final Duration maxLag;
  public final long maxPending;
  public final Duration recoveryBlock;
  public final Path tokenFile;
  public final boolean metricsPublic;
  public final short replicationFactor;
  public final Duration minTokenTtl;
  public final Duration certMinValidity;
  public final Duration driftMaxAge;
  public final Duration inspectInterval;
  public final List<String> inspectMounts;
  public final Duration drillInterval;
  public final Duration vaultTimeout;
  /** Empty when no veto hook is configured. */
  public final Optional<URI> vetoUrl;
  public final Duration vetoTimeout;
  /** Each region's Vault, by region; a region without one has its Vault checks UNKNOWN. */
  public final Map<String, VaultEndpoint> vaults;

  /** Where a region's Vault answers, and the token the service reads it with. */
  public record VaultEndpoint(VaultConnection connection, VaultLogin login) {
    @Override
    public String toString() {
      return connection.toString();
    }
  }

  private PromotionConfig(Map<String, String> values) {
    AbstractConfig parsed = new AbstractConfig(DEFINITION, values, false);
    regions = List.copyOf(parsed.getList(REGIONS));
    kafka = KafkaSettings.from(parsed.getString(BOOTSTRAP_SERVERS), values, DEFINITION.names());
    topicPrefix = parsed.getString(TOPIC_PREFIX);
    httpHost = parsed.getString(HTTP_HOST);
    httpPort = parsed.getInt(HTTP_PORT);
    httpTls = listenerTls(parsed);
    if (httpTls == null && !isLoopback(httpHost)) {
      throw new ConfigException(HTTP_HOST, httpHost, "bearer tokens would cross the network in clear: set "
          + HTTP_TLS_CERT_FILE + " and " + HTTP_TLS_KEY_FILE + " (or " + HTTP_TLS_KEYSTORE_FILE + "), or listen on "
          + "127.0.0.1 behind a TLS proxy on this host");
    }
    maxLag = Durations.parse(parsed.getString(MAX_LAG));
    maxPending = parsed.getLong(MAX_PENDING);
    recoveryBlock = Durations.parse(parsed.getString(RECOVERY_BLOCK));
    tokenFile = Path.of(parsed.getString(TOKEN_FILE));
    metricsPublic = parsed.getBoolean(METRICS_PUBLIC);
    replicationFactor = parsed.getShort(TOPIC_REPLICATION_FACTOR);
    minTokenTtl = Durations.parse(parsed.getString(MIN_TOKEN_TTL));
    certMinValidity = Durations.parse(parsed.getString(CERT_MIN_VALIDITY));
    driftMaxAge = Durations.parse(parsed.getString(DRIFT_MAX_AGE));
    inspectInterval = Durations.parse(parsed.getString(INSPECT_INTERVAL));
    inspectMounts = List.copyOf(parsed.getList(INSPECT_MOUNTS));
    drillInterval = Durations.parse(parsed.getString(DRILL_INTERVAL));
    vaultTimeout = Durations.parse(parsed.getString(VAULT_TIMEOUT));
    String veto = parsed.getString(VETO_URL).strip();
    vetoUrl = veto.isEmpty() ? Optional.empty() : Optional.of(URI.create(veto));
    vetoTimeout = Durations.parse(parsed.getString(VETO_TIMEOUT));
    vaults = vaults(values, vaultTimeout);
  }

  private static Map<String, VaultEndpoint> vaults(Map<String, String> values, Duration vaultTimeout) {
    Map<String, Map<String, String>> byRegion = new TreeMap<>();
    values.forEach((key, value) -> {
      Matcher m = VAULT_KEY.matcher(key);
      if (m.matches() && isVaultKey(key)) {
        byRegion.computeIfAbsent(m.group(1), r -> new HashMap<>()).put(m.group(2), value);
      }
    });
    Map<String, VaultEndpoint> vaults = new TreeMap<>();
    byRegion.forEach((region, settings) -> {
      String prefix = "vault." + region + ".";
      String address = settings.get("address");
      if (address == null) {
        throw new ConfigException(prefix + "address", null, "needed when other " + prefix + "* settings are given");
      }
      Validators.httpUrl().ensureValid(prefix + "address", address);
      VaultLogin login = VaultSettings.login(settings::get, prefix,
          settings.containsKey("token") ? new Password(settings.get("token")) : null, settings.get("token.file"));
      VaultConnection connection = VaultSettings.connection(URI.create(address), vaultTimeout, settings::get, prefix);
      vaults.put(region, new VaultEndpoint(connection, login));
    });
    return Map.copyOf(vaults);
  }

  private static SSLContext listenerTls(AbstractConfig parsed) {
    String cert = parsed.getString(HTTP_TLS_CERT_FILE);
    String key = parsed.getString(HTTP_TLS_KEY_FILE);
    String keyStore = parsed.getString(HTTP_TLS_KEYSTORE_FILE);
    boolean pem = cert != null || key != null;
    if (pem && keyStore != null) {
      throw new ConfigException(HTTP_TLS_KEYSTORE_FILE + " and " + HTTP_TLS_CERT_FILE + "/" + HTTP_TLS_KEY_FILE
          + " are both set: give the listener's identity one way");
    }
    if (pem && (cert == null || key == null)) {
      throw new ConfigException("Missing " + (cert == null ? HTTP_TLS_CERT_FILE : HTTP_TLS_KEY_FILE)
          + ": the listener's certificate needs both " + HTTP_TLS_CERT_FILE + " and " + HTTP_TLS_KEY_FILE);
    }
    try {
      if (pem) {
        return PemTls.server(PemTls.identity(Path.of(cert), Path.of(key)));
      }
      if (keyStore != null) {
        Password password = parsed.getPassword(HTTP_TLS_KEYSTORE_PASSWORD);
        return PemTls.server(PemTls.identity(Path.of(keyStore),
            password == null ? new char[0] : password.value().toCharArray()));
      }
      return null;
    } catch (RuntimeException e) {
      // The parser's message may quote the key or the password's use: keep the type only.
      String what = pem ? HTTP_TLS_CERT_FILE + " and " + HTTP_TLS_KEY_FILE + " are not a readable PEM certificate and "
          + "its unencrypted key" : HTTP_TLS_KEYSTORE_FILE + " cannot be opened with " + HTTP_TLS_KEYSTORE_PASSWORD;
      throw new ConfigException(what + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException(HTTP_HOST, host, "not an address of this host");
    }
  }

  /** Parses and validates; throws {@link ConfigException} naming the offending key. */
  public static PromotionConfig from(Map<String, String> values) {
    return new PromotionConfig(values);
  }

  public static boolean isKnownKey(String key) {
    return DEFINITION.names().contains(key) || isVaultKey(key) || KafkaSettings.isPassthroughKey(key);
  }

  private static boolean isVaultKey(String key) {
    Matcher m = VAULT_KEY.matcher(key);
    return m.matches() && (VAULT_ENDPOINT_KEYS.contains(m.group(2)) || VaultSettings.isSetting(m.group(2)));
  }

  public String changesTopic() {
    return topicPrefix + ".changes";
  }

  public String appliedTopic(String region) {
    return topicPrefix + ".applied." + region;
  }

  public String controlTopic() {
    return topicPrefix + ".control";
  }

  public String auditTopic() {
    return topicPrefix + ".audit";
  }

  /** Changes a region's Vault committed while the epoch named another (capture writes them). */
  public String fencedTopic() {
    return topicPrefix + ".fenced";
  }

  /** Empty passes: the setting is off. */
  private static ConfigDef.Validator optional(ConfigDef.Validator validator) {
    return (name, value) -> {
      if (value != null && !String.valueOf(value).isBlank()) {
        validator.ensureValid(name, String.valueOf(value).strip());
      }
    };
  }

  private static ConfigDef.Validator regionList() {
    ConfigDef.Validator region = Validators.regionName();
    return (name, value) -> {
      List<?> regions = (List<?>) value;
      if (regions.isEmpty()) {
        throw new ConfigException(name, value, "name at least one standby region");
      }
      regions.forEach(each -> region.ensureValid(name, each));
    };
  }

  @Override
  public String toString() {
    return "PromotionConfig[regions=" + regions + ", topics=" + topicPrefix + ".*, port=" + httpPort + ", vaults="
        + vaults + "]";
  }
}
