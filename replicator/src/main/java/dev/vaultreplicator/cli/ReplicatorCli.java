package dev.vaultreplicator.cli;

import dev.vaultreplicator.apply.ApplyConfig;
import dev.vaultreplicator.capture.CaptureConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one command line of the replicator: {@code replicator capture}, {@code apply}, {@code verify}. */
@Command(name = "replicator", mixinStandardHelpOptions = true, version = "vault-replicator 0.1.0",
    description = "Disaster recovery for HashiCorp Vault and OpenBao over Kafka.",
    subcommands = {CaptureCommand.class, ApplyCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class ReplicatorCli {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new ReplicatorCli());
    commandLine.getSubcommands().get("capture").getCommandSpec().usageMessage()
        .footer(SettingsHelp.render(CaptureConfig.DEFINITION).replace("%", "%%"));
    commandLine.getSubcommands().get("apply").getCommandSpec().usageMessage()
        .footer(SettingsHelp.render(ApplyConfig.DEFINITION).replace("%", "%%"));
    return commandLine;
  }
}
