package dev.vaultreplicator.promotion;

import dev.vaultreplicator.ReplicatorException;
import dev.vaultreplicator.cli.SettingsHelp;
import dev.vaultreplicator.config.ConfigSource;
import dev.vaultreplicator.metrics.MetricsServer;
import dev.vaultreplicator.promotion.cli.ClientCommands;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code promotion-service --config FILE}: runs the service until stopped; its subcommands
 * ({@code status}, {@code promote}, ...) are the on-call client of a running one.
 */
@Command(name = "promotion-service", mixinStandardHelpOptions = true, version = "vault-replicator 0.1.0",
    sortOptions = false,
    subcommands = {ClientCommands.Status.class, ClientCommands.Readiness.class, ClientCommands.Drill.class,
        ClientCommands.Promote.class, ClientCommands.Switchover.class, ClientCommands.Audit.class,
        ClientCommands.Fenced.class,
        CommandLine.HelpCommand.class},
    description = {
        "Measures replication lag per standby region, judges whether a standby is fit to promote, and serves "
            + "both over HTTP (/v1/status, /health/standby/{region}, /metrics).",
        "",
        "Settings come from --config (a properties file) and from environment variables, which win: "
            + "regions is read from VAULT_REPLICATOR_REGIONS, and so on. docs/promotion.md has the API.",
        "",
        "The commands below ask a running service, at $PROMOTION_URL with the token in $PROMOTION_TOKEN (or "
            + "--token-file): status, readiness REGION, drill REGION, promote REGION --reason ..., switchover REGION --reason "
            + "..., audit, fenced "
            + "REGION. Exit "
            + "codes: 0 done, 2 refused or blocked, 1 an error.",
        ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped on request", "1:could not start (Kafka unreachable, a topic not created)",
        "2:invalid settings or token file"})
public final class PromotionCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Properties file with the settings below.")
  Path configFile;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new PromotionCommand());
    commandLine.getCommandSpec().usageMessage()
        .footer(SettingsHelp.render(PromotionConfig.DEFINITION).replace("%", "%%"));
    return commandLine;
  }

  @Override
  public Integer call() throws Exception {
    PromotionConfig config;
    try {
      config = PromotionConfig.from(ConfigSource.load(configFile, System.getenv(),
          PromotionConfig.DEFINITION.names(), PromotionConfig::isKnownKey));
    } catch (ConfigException e) {
      System.err.println("promotion-service: invalid settings: " + e.getMessage());
      return 2;
    }
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    CountDownLatch stopped = new CountDownLatch(1);
    PromotionService service;
    try {
      service = PromotionService.start(config, registry);
    } catch (IllegalArgumentException e) {
      System.err.println("promotion-service: " + e.getMessage());
      return 2;
    } catch (ReplicatorException e) {
      System.err.println("promotion-service: cannot start: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stopped.countDown();
    }, "promotion-shutdown"));
    stopped.await();
    return 0;
  }
}
