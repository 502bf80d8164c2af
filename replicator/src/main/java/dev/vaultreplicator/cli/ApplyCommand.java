package dev.vaultreplicator.cli;

import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.apply.ApplyConfig;
import dev.vaultreplicator.config.ConfigSource;
import dev.vaultreplicator.metrics.Health;
import dev.vaultreplicator.metrics.MetricsServer;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.KeyringException;
import dev.vaultreplicator.seal.KeyringLoader;
import dev.vaultreplicator.vault.VaultCredential;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Applies every captured change to this region's standby Vault, exactly once in effect, and publishes "
            + "how far it got (applied watermarks).",
        "",
        "Settings come from --config (a properties file) and from environment variables, which win: "
            + "vault.token is read from VAULT_REPLICATOR_VAULT_TOKEN, and so on. --region overrides region. "
            + "The keyring (the same keys capture seals with) comes from keyring.file or VAULT_REPLICATOR_KEYRING.",
        "",
        "Run several instances with the same region to share the work; each region has its own state, "
            + "dead-letter topic and watermarks. docs/apply.md has the token policy.",
        ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped on request", "1:failed while running (the reason is logged)",
        "2:invalid settings or keyring, or Vault refused the credential"})
final class ApplyCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ApplyCommand.class);

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Properties file with the settings below.")
  Path configFile;

  @Option(names = {"-r", "--region"}, paramLabel = "REGION", description = "This standby's region (the region setting).")
  String region;

  @Override
  public Integer call() throws Exception {
    ApplyConfig config;
    Keyring keyring;
    try {
      Map<String, String> values = new HashMap<>(ConfigSource.load(configFile, System.getenv(),
          ApplyConfig.DEFINITION.names(), ApplyConfig::isKnownKey));
      if (region != null) {
        values.put(ApplyConfig.REGION, region);
      }
      config = ApplyConfig.from(values);
      keyring = config.keyringFile != null ? KeyringLoader.fromFile(config.keyringFile)
          : KeyringLoader.fromEnvironment(System.getenv(), KeyringLoader.ENVIRONMENT_VARIABLE);
    } catch (ConfigException e) {
      System.err.println("apply: invalid settings: " + e.getMessage());
      return 2;
    } catch (KeyringException e) {
      System.err.println("apply: no usable keyring (" + ApplyConfig.KEYRING_FILE + " or "
          + KeyringLoader.ENVIRONMENT_VARIABLE + "): " + e.getMessage());
      return 2;
    }
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    AtomicReference<Apply> started = new AtomicReference<>();
    try (MetricsServer metrics = config.metricsPort < 0 ? null : MetricsServer.start(registry, config.metricsHost,
        config.metricsPort, () -> started.get() == null ? Health.STARTING : Health.of(started.get().state()))) {
      if (metrics != null) {
        LOG.info("metrics and health on http://{}:{}/", config.metricsHost, metrics.port());
      }
      Apply apply;
      try {
        apply = Apply.start(config, keyring, registry);
        started.set(apply);
      } catch (VaultCredential.RejectedException e) {
        System.err.println("apply: Vault refused its credential: " + e.getMessage());
        return 2;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(apply::close, "apply-shutdown"));
      apply.awaitTermination();
      apply.close();
      if (apply.state() == Apply.State.FAILED) {
        System.err.println("apply: stopped on a failure; the log says why");
        return 1;
      }
      return 0;
    }
  }
}
