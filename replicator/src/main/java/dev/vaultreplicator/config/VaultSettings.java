package dev.vaultreplicator.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import dev.vaultreplicator.vault.VaultConnection;
import dev.vaultreplicator.tls.PemTls;
import dev.vaultreplicator.vault.VaultLogin;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The settings of a connection to a Vault beyond its address and token, and of the component's
 * login to it, declared once: capture and apply take them as {@code vault.<setting>}, the
 * promotion service as {@code vault.<region>.<setting>}. Files are checked at start, so a missing
 * or unreadable one refuses to start naming its key.
 */
public final class VaultSettings {

  public static final String NAMESPACE = "namespace";
  public static final String TLS_CA_FILE = "tls.ca.file";
  public static final String TLS_CERT_FILE = "tls.cert.file";
  public static final String TLS_KEY_FILE = "tls.key.file";
  public static final String TLS_SERVER_NAME = "tls.server.name";
  public static final String AUTH_METHOD = "auth.method";
  public static final String AUTH_MOUNT = "auth.mount";
  public static final String AUTH_ROLE = "auth.role";
  public static final String AUTH_ROLE_ID = "auth.role.id";
  public static final String AUTH_SECRET_ID_FILE = "auth.secret.id.file";
  public static final String AUTH_JWT_FILE = "auth.jwt.file";

  /** Where Kubernetes mounts a pod's service account token. */
  public static final String KUBERNETES_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  private static final List<String> METHODS = List.of("token", "approle", "jwt", "kubernetes");

  /** A namespace path: segments of letters, digits, '.', '_' and '-' (OpenBao and Vault allow no spaces). */
  private static final Pattern NAMESPACE_PATH = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
  private static final Pattern HOST_NAME =
      Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  /** A setting by its name after the prefix, its default ({@code null}: unset) and what it means. */
  public record Setting(String name, String defaultValue, String documentation) {
    Setting(String name, String documentation) {
      this(name, null, documentation);
    }
  }

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
          + "also sent as SNI when the address is an IP address."),
      new Setting(AUTH_METHOD, "token", "How this component gets its Vault token: token (the token setting, renewed "
          + "while renewable), approle, jwt or kubernetes (logged in at start, renewed at two thirds of its TTL, "
          + "logged in again when renewal fails or the maximum TTL nears)."),
      new Setting(AUTH_MOUNT, "Path the auth method is mounted at, without auth/; default: the method's name."),
      new Setting(AUTH_ROLE, "Role to log in as, for jwt and kubernetes."),
      new Setting(AUTH_ROLE_ID, "AppRole role ID, for approle."),
      new Setting(AUTH_SECRET_ID_FILE, "File holding the AppRole secret ID, read at each login (so it may be "
          + "rotated), for approle."),
      new Setting(AUTH_JWT_FILE, "File holding the signed JWT, read at each login (a projected token may be "
          + "rotated), for jwt; for kubernetes the default is " + KUBERNETES_TOKEN + "."));

  private VaultSettings() {}

  /** Declares {@code prefix + name} for every setting, each an optional string. */
  public static ConfigDef define(ConfigDef definition, String prefix) {
    for (Setting setting : SETTINGS) {
      definition.define(prefix + setting.name(), Type.STRING, setting.defaultValue(), MEDIUM, setting.documentation());
    }
    return definition;
  }

  /** Whether {@code name} (after the prefix) is one of these settings. */
  public static boolean isSetting(String name) {
    return SETTINGS.stream().anyMatch(setting -> setting.name().equals(name));
  }

  /**
   * Capture's and apply's connection: {@code vault.address}, {@code vault.timeout} and these
   * settings under {@code vault.}.
   */
  public static VaultConnection connection(AbstractConfig parsed) {
    return connection(URI.create(parsed.getString("vault.address")),
        Durations.parse(parsed.getString("vault.timeout")), name -> parsed.getString("vault." + name), "vault.");
  }

  /** Capture's and apply's login: {@code vault.token}, {@code vault.token.file} and {@code vault.auth.*}. */
  public static VaultLogin login(AbstractConfig parsed) {
    return login(name -> parsed.getString("vault." + name), "vault.", parsed.getPassword("vault.token"),
        parsed.getString("vault.token.file"));
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
    return connection(address, timeout, valueOf, name -> prefix + name);
  }

  /**
   * The connection these settings describe, for settings that come other than as keys (a command's options).
   *
   * @param valueOf a setting's value by its name; null or blank when unset
   * @param keyOf how a setting (or {@code address}) is written where it came from, for errors
   * @throws ConfigException naming the key, never a file's content
   */
  public static VaultConnection connection(URI address, Duration timeout, Function<String, String> valueOf,
      UnaryOperator<String> keyOf) {
    String namespace = namespace(value(valueOf, NAMESPACE), keyOf.apply(NAMESPACE));
    Path ca = file(value(valueOf, TLS_CA_FILE), keyOf.apply(TLS_CA_FILE));
    Path cert = file(value(valueOf, TLS_CERT_FILE), keyOf.apply(TLS_CERT_FILE));
    Path key = file(value(valueOf, TLS_KEY_FILE), keyOf.apply(TLS_KEY_FILE));
    String serverName = value(valueOf, TLS_SERVER_NAME);
    if ((cert == null) != (key == null)) {
      String missing = keyOf.apply(cert == null ? TLS_CERT_FILE : TLS_KEY_FILE);
      throw new ConfigException("Missing " + missing + ": a client certificate needs both "
          + keyOf.apply(TLS_CERT_FILE) + " and " + keyOf.apply(TLS_KEY_FILE));
    }
    if (serverName != null && !HOST_NAME.matcher(serverName).matches()) {
      throw new ConfigException(keyOf.apply(TLS_SERVER_NAME), serverName, "not a DNS name");
    }
    boolean tls = ca != null || cert != null || serverName != null;
    if (!tls) {
      return new VaultConnection(address, timeout, namespace, null);
    }
    if (!"https".equals(address.getScheme())) {
      String first = keyOf.apply(ca != null ? TLS_CA_FILE : cert != null ? TLS_CERT_FILE : TLS_SERVER_NAME);
      throw new ConfigException(first + " is set, but " + keyOf.apply("address") + " " + address + " is not https://");
    }
    X509ExtendedTrustManager trust = ca == null ? null : trust(ca, keyOf.apply(TLS_CA_FILE));
    X509ExtendedKeyManager identity = cert == null ? null
        : identity(cert, key, keyOf.apply(TLS_CERT_FILE) + " and " + keyOf.apply(TLS_KEY_FILE));
    return new VaultConnection(address, timeout, namespace, PemTls.client(trust, identity, serverName));
  }

  /**
   * How the component gets its token.
   *
   * @param valueOf a setting's value by its name after the prefix; null or blank when unset
   * @param token the {@code <prefix>token} setting, or null
   * @param tokenFile the {@code <prefix>token.file} setting, or null
   * @throws ConfigException naming the key, never a secret
   */
  public static VaultLogin login(Function<String, String> valueOf, String prefix, Password token, String tokenFile) {
    String method = Optional.ofNullable(value(valueOf, AUTH_METHOD)).orElse("token");
    if (!METHODS.contains(method)) {
      throw new ConfigException(prefix + AUTH_METHOD, method, "one of " + String.join(", ", METHODS));
    }
    if (method.equals("token")) {
      return new VaultLogin.Token(Validators.token(token, tokenFile, prefix + "token", prefix + "token.file"));
    }
    if ((token != null && !token.value().isBlank()) || (tokenFile != null && !tokenFile.isBlank())) {
      throw new ConfigException(prefix + "token or " + prefix + "token.file is set, but " + prefix + AUTH_METHOD
          + " is " + method + ": set one of them");
    }
    String mount = Optional.ofNullable(value(valueOf, AUTH_MOUNT)).orElse(method).replaceAll("^/+|/+$", "");
    return switch (method) {
      case "approle" -> new VaultLogin.AppRole(mount, required(valueOf, AUTH_ROLE_ID, prefix, method),
          file(required(valueOf, AUTH_SECRET_ID_FILE, prefix, method), prefix + AUTH_SECRET_ID_FILE));
      case "jwt" -> new VaultLogin.Jwt(method, mount, required(valueOf, AUTH_ROLE, prefix, method),
          file(required(valueOf, AUTH_JWT_FILE, prefix, method), prefix + AUTH_JWT_FILE));
      default -> new VaultLogin.Jwt(method, mount, required(valueOf, AUTH_ROLE, prefix, method),
          file(Optional.ofNullable(value(valueOf, AUTH_JWT_FILE)).orElse(KUBERNETES_TOKEN), prefix + AUTH_JWT_FILE));
    };
  }

  private static String required(Function<String, String> valueOf, String name, String prefix, String method) {
    String value = value(valueOf, name);
    if (value == null) {
      throw new ConfigException("Missing " + prefix + name + ": " + prefix + AUTH_METHOD + " " + method + " needs it");
    }
    return value;
  }

  private static X509ExtendedTrustManager trust(Path ca, String key) {
    try {
      return PemTls.trust(ca);
    } catch (RuntimeException e) {
      throw new ConfigException(key, ca.toString(), "not a PEM bundle of certificates (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  /** @param keys how the certificate and key files' settings are written, for the error */
  private static X509ExtendedKeyManager identity(Path cert, Path key, String keys) {
    try {
      return PemTls.identity(cert, key);
    } catch (RuntimeException e) {
      // The parser's message may quote the key file: keep the type only.
      throw new ConfigException(keys + " are not a PEM certificate and its unencrypted private key ("
          + e.getClass().getSimpleName() + ")");
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
