package dev.vaultreplicator.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import dev.vaultreplicator.vault.VaultConnection;
import dev.vaultreplicator.vault.VaultTls;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings of a connection to a Vault beyond its address and token, declared once: capture and
 * apply take them as {@code vault.<setting>}, the promotion service as {@code vault.<region>.<setting>}.
 * Files are read at start, so a missing or unreadable one refuses to start naming its key.
 */
public final class VaultSettings {

  public static final String NAMESPACE = "namespace";
  public static final String TLS_CA_FILE = "tls.ca.file";
  public static final String TLS_CERT_FILE = "tls.cert.file";
  public static final String TLS_KEY_FILE = "tls.key.file";
  public static final String TLS_SERVER_NAME = "tls.server.name";

  /** A namespace path: segments of letters, digits, '.', '_' and '-' (OpenBao and Vault allow no spaces). */
  private static final Pattern NAMESPACE_PATH = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
  private static final Pattern HOST_NAME =
      Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  /** A setting by its name after the prefix, with what it means. */
  public record Setting(String name, String documentation) {}

  public static final List<Setting> SETTINGS = List.of(
      new Setting(NAMESPACE, "Namespace every request is made in (X-Vault-Namespace), e.g. team-a or team-a/prod; "
          + "empty for the root namespace. Capture replicates that namespace alone."),
      new Setting(TLS_CA_FILE, "PEM file of the certificate authorities to trust for an https address, in place of "
          + "the JVM's (like VAULT_CACERT); a bundle may hold several."),
      new Setting(TLS_CERT_FILE, "PEM file of the client certificate (and its chain) presented to a Vault that asks "
          + "for one (like VAULT_CLIENT_CERT); needs the key file."),
      new Setting(TLS_KEY_FILE, "PEM file of the client certificate's private key, unencrypted (like VAULT_CLIENT_KEY)."),
      new Setting(TLS_SERVER_NAME, "Name the Vault's certificate is checked against instead of the address's host "
          + "(like VAULT_TLS_SERVER_NAME), e.g. when the address is an IP address or a load balancer's name; "
          + "also sent as SNI when the address is an IP address."));

  private VaultSettings() {}

  /** Declares {@code prefix + name} for every setting, each an optional string. */
  public static ConfigDef define(ConfigDef definition, String prefix) {
    for (Setting setting : SETTINGS) {
      definition.define(prefix + setting.name(), Type.STRING, null, MEDIUM, setting.documentation());
    }
    return definition;
  }

  /** Whether {@code name} (after the prefix) is one of these settings. */
  public static boolean isSetting(String name) {
    return SETTINGS.stream().anyMatch(setting -> setting.name().equals(name));
  }

  /**
   * The connection these settings describe.
   *
   * @param valueOf a setting's value by its name after the prefix; null or blank when unset
   * @param prefix how the keys are written, for errors ({@code vault.} or {@code vault.west.})
   * @throws ConfigException naming the key, never a file's content
   */
  public static VaultConnection connection(URI address, Duration timeout, Function<String, String> valueOf,
      String prefix) {
    String namespace = namespace(value(valueOf, NAMESPACE), prefix + NAMESPACE);
    Path ca = file(value(valueOf, TLS_CA_FILE), prefix + TLS_CA_FILE);
    Path cert = file(value(valueOf, TLS_CERT_FILE), prefix + TLS_CERT_FILE);
    Path key = file(value(valueOf, TLS_KEY_FILE), prefix + TLS_KEY_FILE);
    String serverName = value(valueOf, TLS_SERVER_NAME);
    if ((cert == null) != (key == null)) {
      String missing = prefix + (cert == null ? TLS_CERT_FILE : TLS_KEY_FILE);
      throw new ConfigException("Missing " + missing + ": a client certificate needs both "
          + prefix + TLS_CERT_FILE + " and " + prefix + TLS_KEY_FILE);
    }
    if (serverName != null && !HOST_NAME.matcher(serverName).matches()) {
      throw new ConfigException(prefix + TLS_SERVER_NAME, serverName, "not a DNS name");
    }
    boolean tls = ca != null || cert != null || serverName != null;
    if (!tls) {
      return new VaultConnection(address, timeout, namespace, null);
    }
    if (!"https".equals(address.getScheme())) {
      String first = prefix + (ca != null ? TLS_CA_FILE : cert != null ? TLS_CERT_FILE : TLS_SERVER_NAME);
      throw new ConfigException(first + " is set, but " + prefix + "address " + address + " is not https://");
    }
    X509ExtendedTrustManager trust = ca == null ? null : trust(ca, prefix + TLS_CA_FILE);
    X509ExtendedKeyManager identity = cert == null ? null : identity(cert, key, prefix);
    return new VaultConnection(address, timeout, namespace, VaultTls.context(trust, identity, serverName));
  }

  private static X509ExtendedTrustManager trust(Path ca, String key) {
    try {
      return VaultTls.trust(ca);
    } catch (RuntimeException e) {
      throw new ConfigException(key, ca.toString(), "not a PEM bundle of certificates (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  private static X509ExtendedKeyManager identity(Path cert, Path key, String prefix) {
    try {
      return VaultTls.identity(cert, key);
    } catch (RuntimeException e) {
      // The parser's message may quote the key file: keep the type only.
      throw new ConfigException(prefix + TLS_CERT_FILE + " and " + prefix + TLS_KEY_FILE + " are not a PEM certificate "
          + "and its unencrypted private key (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static String namespace(String value, String key) {
    if (value == null) {
      return "";
    }
    String path = value.replaceAll("^/+|/+$", "");
    if (!path.isEmpty() && !NAMESPACE_PATH.matcher(path).matches()) {
      throw new ConfigException(key, value, "a namespace path: letters, digits, '.', '_' and '-', segments split by '/'");
    }
    return path;
  }

  private static Path file(String value, String key) {
    if (value == null) {
      return null;
    }
    Path path = Path.of(value);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new ConfigException(key, value, "no readable file there");
    }
    return path;
  }

  private static String value(Function<String, String> valueOf, String name) {
    String value = valueOf.apply(name);
    return value == null || value.isBlank() ? null : value.strip();
  }
}
