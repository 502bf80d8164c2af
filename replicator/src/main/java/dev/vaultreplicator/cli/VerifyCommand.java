package dev.vaultreplicator.cli;

import dev.vaultreplicator.config.ConfigSource;
import dev.vaultreplicator.config.VaultSettings;
import dev.vaultreplicator.vault.VaultConnection;
import dev.vaultreplicator.vault.VaultException;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.verify.Verifier;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Compares the primary and a standby key by key: settings, every version's state and data, KV v1 keys and "
            + "ACL policies. Data is compared by keyed digests (HMAC-SHA256 under a key drawn for this run); no value "
            + "is printed. Compare while no writes are in flight, or expect the newest changes as differences.",
        "",
        "Tokens come from --primary-token-file / --standby-token-file or the environment variables "
            + "VAULT_REPLICATOR_PRIMARY_TOKEN and VAULT_REPLICATOR_STANDBY_TOKEN.",
        ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the standby matches the primary", "1:they differ (each difference is printed)",
        "2:invalid options, or a Vault could not be read"})
final class VerifyCommand implements Callable<Integer> {

  @Option(names = "--primary", required = true, paramLabel = "URL", description = "Address of the primary Vault.")
  URI primary;

  @Option(names = "--standby", required = true, paramLabel = "URL", description = "Address of the standby Vault.")
  URI standby;

  @Option(names = "--primary-token-file", paramLabel = "FILE", description = "File holding a token that can read the primary.")
  Path primaryTokenFile;

  @Option(names = "--standby-token-file", paramLabel = "FILE", description = "File holding a token that can read the standby.")
  Path standbyTokenFile;

  @Option(names = "--primary-ca-file", paramLabel = "FILE",
      description = "PEM certificates to trust for an https primary (default: the JVM's authorities).")
  Path primaryCaFile;

  @Option(names = "--standby-ca-file", paramLabel = "FILE",
      description = "PEM certificates to trust for an https standby (default: the JVM's authorities).")
  Path standbyCaFile;

  @Option(names = "--primary-cert-file", paramLabel = "FILE",
      description = "PEM client certificate for a primary whose listener asks for one (with --primary-key-file).")
  Path primaryCertFile;

  @Option(names = "--primary-key-file", paramLabel = "FILE", description = "PEM private key of --primary-cert-file.")
  Path primaryKeyFile;

  @Option(names = "--standby-cert-file", paramLabel = "FILE",
      description = "PEM client certificate for a standby whose listener asks for one (with --standby-key-file).")
  Path standbyCertFile;

  @Option(names = "--standby-key-file", paramLabel = "FILE", description = "PEM private key of --standby-cert-file.")
  Path standbyKeyFile;

  @Option(names = "--primary-namespace", paramLabel = "NAMESPACE", description = "Namespace on the primary.")
  String primaryNamespace;

  @Option(names = "--standby-namespace", paramLabel = "NAMESPACE", description = "Namespace on the standby.")
  String standbyNamespace;

  @Option(names = "--mount", paramLabel = "MOUNT", split = ",", defaultValue = "secret",
      description = "KV mounts to compare (default: ${DEFAULT-VALUE}); repeat or separate with commas.")
  List<String> mounts;

  @Override
  public Integer call() {
    String primaryToken;
    String standbyToken;
    try {
      primaryToken = token(primaryTokenFile, "PRIMARY_TOKEN", "--primary-token-file");
      standbyToken = token(standbyTokenFile, "STANDBY_TOKEN", "--standby-token-file");
    } catch (IllegalArgumentException e) {
      System.err.println("verify: " + e.getMessage());
      return 2;
    }
    VaultConnection primaryVault;
    VaultConnection standbyVault;
    try {
      primaryVault = connection("primary", primary, primaryCaFile, primaryCertFile, primaryKeyFile, primaryNamespace);
      standbyVault = connection("standby", standby, standbyCaFile, standbyCertFile, standbyKeyFile, standbyNamespace);
    } catch (IllegalArgumentException e) {
      System.err.println("verify: invalid options: " + e.getMessage());
      return 2;
    }
    Verifier.Report report;
    try {
      report = Verifier.compare(new VaultGateway(primaryVault, () -> primaryToken),
          new VaultGateway(standbyVault, () -> standbyToken), mounts);
    } catch (VaultException | IllegalArgumentException e) {
      System.err.println("verify: " + e.getMessage());
      return 2;
    }
    report.differences().forEach(System.out::println);
    System.out.printf("verify: %d entries compared, %d differences%n", report.compared(), report.differences().size());
    return report.clean() ? 0 : 1;
  }

  /**
   * The same connection settings capture and apply take, from this command's options.
   *
   * @throws IllegalArgumentException naming the side and its options instead of the settings' keys
   */
  private static VaultConnection connection(String side, URI address, Path caFile, Path certFile, Path keyFile,
      String namespace) {
    Map<String, String> settings = new HashMap<>();
    putIfGiven(settings, VaultSettings.TLS_CA_FILE, caFile);
    putIfGiven(settings, VaultSettings.TLS_CERT_FILE, certFile);
    putIfGiven(settings, VaultSettings.TLS_KEY_FILE, keyFile);
    putIfGiven(settings, VaultSettings.NAMESPACE, namespace);
    try {
      return VaultSettings.connection(address, Duration.ofSeconds(10), settings::get, key -> option(side, key));
    } catch (ConfigException e) {
      throw new IllegalArgumentException(side + ": " + e.getMessage(), e);
    }
  }

  /** The option a connection setting comes from: tls.ca.file is --primary-ca-file, the address --primary. */
  private static String option(String side, String setting) {
    return setting.equals("address") ? "--" + side
        : "--" + side + "-" + setting.replaceFirst("^tls\\.", "").replace('.', '-');
  }

  private static void putIfGiven(Map<String, String> settings, String key, Object value) {
    if (value != null) {
      settings.put(key, value.toString());
    }
  }

  private static String token(Path file, String variable, String option) {
    if (file != null) {
      try {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!token.isEmpty()) {
          return token;
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(option + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
      }
    }
    String fromEnvironment = System.getenv(ConfigSource.ENV_PREFIX + variable);
    if (fromEnvironment == null || fromEnvironment.isBlank()) {
      throw new IllegalArgumentException("no token: use " + option + " or " + ConfigSource.ENV_PREFIX + variable);
    }
    return fromEnvironment.strip();
  }
}
