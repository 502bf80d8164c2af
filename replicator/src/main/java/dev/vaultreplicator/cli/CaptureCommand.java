package dev.vaultreplicator.cli;

import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.capture.CaptureConfig;
import dev.vaultreplicator.config.ConfigSource;
import dev.vaultreplicator.metrics.Health;
import dev.vaultreplicator.metrics.MetricsServer;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.KeyringException;
import dev.vaultreplicator.seal.KeyringLoader;
import dev.vaultreplicator.vault.VaultCredential;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "capture", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Captures every change on this region's primary Vault and publishes it to Kafka, sealed.",
        "",
        "Settings come from --config (a properties file) and from environment variables, which win: "
            + "vault.token is read from VAULT_REPLICATOR_VAULT_TOKEN, and so on. The keyring comes from "
            + "keyring.file or VAULT_REPLICATOR_KEYRING. Invalid settings stop it before it starts.",
        "",
        "The primary needs a socket audit device pointing at audit.listen.host:audit.listen.port, and a "
            + "second (file) audit device, since Vault refuses requests when no device can be written. "
            + "docs/capture.md has the token policy and an example.",
        ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped on request", "1:failed while running", "2:invalid settings or keyring, or Vault refused the credential"})
final class CaptureCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureCommand.class);

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Properties file with the settings below.")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    CaptureConfig config;
    Keyring keyring;
    try {
      config = CaptureConfig.from(ConfigSource.load(configFile, System.getenv(),
          CaptureConfig.DEFINITION.names(), CaptureConfig::isKnownKey));
      keyring = config.keyringFile != null ? KeyringLoader.fromFile(config.keyringFile)
          : KeyringLoader.fromEnvironment(System.getenv(), KeyringLoader.ENVIRONMENT_VARIABLE);
    } catch (ConfigException e) {
      System.err.println("capture: invalid settings: " + e.getMessage());
      return 2;
    } catch (KeyringException e) {
      System.err.println("capture: no usable keyring (" + CaptureConfig.KEYRING_FILE + " or "
          + KeyringLoader.ENVIRONMENT_VARIABLE + "): " + e.getMessage());
      return 2;
    }
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    AtomicReference<Capture> started = new AtomicReference<>();
    MetricsServer metrics = config.metricsPort < 0 ? null : MetricsServer.start(registry, config.metricsHost,
        config.metricsPort, () -> started.get() == null ? Health.STARTING : Health.of(started.get().state()));
    if (metrics != null) {
      LOG.info("metrics and health on http://{}:{}/", config.metricsHost, metrics.port());
    }
    Capture capture;
    try {
      capture = Capture.start(config, keyring, registry);
      started.set(capture);
    } catch (ConfigException e) {
      System.err.println("capture: invalid settings: " + e.getMessage());
      closeQuietly(metrics);
      return 2;
    } catch (VaultCredential.RejectedException e) {
      System.err.println("capture: Vault refused its credential: " + e.getMessage());
      closeQuietly(metrics);
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(capture::close, "capture-shutdown"));
    capture.awaitTermination();
    closeQuietly(metrics);
    return capture.state() == Capture.State.FAILED ? 1 : 0;
  }

  private static void closeQuietly(MetricsServer metrics) {
    if (metrics != null) {
      metrics.close();
    }
  }
}
