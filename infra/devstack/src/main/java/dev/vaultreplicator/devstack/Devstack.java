package dev.vaultreplicator.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.vaultreplicator.testkit.kafka.BrokerProbe;
import dev.vaultreplicator.testkit.kafka.BrokerSettings;
import dev.vaultreplicator.testkit.process.Executables;
import dev.vaultreplicator.testkit.process.FreePorts;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./devstack}: the whole pipeline on this machine, each component a process of its own. */
@Command(name = "devstack", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs vault-replicator locally: a Kafka broker, a primary Vault (east), a standby Vault "
                + "(west), capture for east and apply for west. State, logs and pids live in .devstack/.",
        subcommands = {Devstack.Up.class, Devstack.Status.class, Devstack.Down.class, Devstack.Stop.class,
                Devstack.Start.class, Devstack.Kill.class, Devstack.Seal.class, Devstack.Unseal.class,
                EventsCommand.class, BenchCommand.class})
public final class Devstack {

    static final String PRIMARY_REGION = "east";
    static final String STANDBY_REGION = "west";
    static final List<String> COMPONENTS = List.of("broker", "vault-primary", "vault-standby", CaptureComponent.NAME,
            ApplyComponent.NAME, PromotionComponent.NAME);
    /** Not started by up: the other side of each region, for a failback after promoting west. */
    static final List<String> MIRRORS = List.of(CaptureComponent.MIRROR, ApplyComponent.MIRROR);
    static final List<String> STOP_ORDER = List.of(PromotionComponent.NAME, ApplyComponent.MIRROR,
            CaptureComponent.MIRROR, ApplyComponent.NAME, CaptureComponent.NAME, "vault-standby", "vault-primary",
            "broker");
    static final String COMPONENT_NAMES = "broker, vault-primary, vault-standby, " + CaptureComponent.NAME + ", "
            + ApplyComponent.NAME + ", " + PromotionComponent.NAME + ", or the mirror images " + CaptureComponent.MIRROR
            + " and " + ApplyComponent.MIRROR;

    @Option(names = "--home", description = "Where state, logs and pids live. Default: ${DEFAULT-VALUE}.",
            defaultValue = "${env:DEVSTACK_HOME:-.devstack}", scope = CommandLine.ScopeType.INHERIT)
    Path home;

    public static void main(String[] args) {
        // Before anything logs: the replicator's own log4j2.xml is on this class path too.
        System.setProperty("log4j2.configurationFile", "devstack-log4j2.xml");
        System.exit(new CommandLine(new Devstack())
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    command.getErr().println(e.getMessage());
                    return 2;
                })
                .execute(args));
    }

    int stopOne(String name, boolean kill) {
        component(name, Settings.load(layout()), layout());
        System.out.println(name + (Supervisor.stop(name, layout(), kill) ? (kill ? " killed" : " stopped") : " was not running"));
        return 0;
    }

    DevstackLayout layout() {
        return new DevstackLayout(home.toAbsolutePath().normalize());
    }

    // ---- the components ----------------------------------------------------------------------

    static Component component(String name, Settings settings, DevstackLayout layout) {
        return switch (name) {
            case "broker" -> broker(settings, layout);
            case VaultComponent.PRIMARY -> VaultComponent.of(name, settings.vaultPrimaryPort, PRIMARY_REGION, settings, layout);
            case VaultComponent.STANDBY -> VaultComponent.of(name, settings.vaultStandbyPort, STANDBY_REGION, settings, layout);
            case CaptureComponent.NAME -> CaptureComponent.of(settings, layout, PRIMARY_REGION);
            case CaptureComponent.MIRROR -> CaptureComponent.of(settings, layout, STANDBY_REGION);
            case ApplyComponent.NAME -> ApplyComponent.of(settings, layout, STANDBY_REGION);
            case ApplyComponent.MIRROR -> ApplyComponent.of(settings, layout, PRIMARY_REGION);
            case PromotionComponent.NAME -> PromotionComponent.of(settings, layout);
            default -> throw new IllegalArgumentException("unknown component '" + name + "'; components: "
                    + COMPONENT_NAMES);
        };
    }

    private static Component broker(Settings settings, DevstackLayout layout) {
        BrokerSettings broker = new BrokerSettings(layout.dataDir("broker"), settings.brokerPort,
                settings.controllerPort).prepare();
        return Component.jvm("broker", BrokerSettings.MAIN_CLASS, broker.jvmOptions(),
                List.of(broker.configFile().toString()), broker.bootstrapServers(),
                process -> BrokerProbe.awaitReady(broker.bootstrapServers(), Duration.ofSeconds(60), process::isAlive));
    }

    /** Where a component answers; a Vault also says which server and version runs there. */
    static String address(String name, Component component, Settings settings) {
        return name.startsWith("vault-") ? component.address() + " " + VaultComponent.describe(name, settings)
                : component.address();
    }

    static String envFile(Settings settings, DevstackLayout layout) {
        PromotionComponent.Tokens tokens = PromotionComponent.tokens(layout);
        return String.join("\n",
                "# Written by ./devstack up. Use: source .devstack/env",
                "export KAFKA_BOOTSTRAP=localhost:" + settings.brokerPort,
                "export TOPIC_PREFIX=" + settings.topicPrefix,
                "export PRIMARY_REGION=" + PRIMARY_REGION,
                "export STANDBY_REGION=" + STANDBY_REGION,
                "export VAULT_PRIMARY_ADDR=http://127.0.0.1:" + settings.vaultPrimaryPort,
                "export VAULT_STANDBY_ADDR=http://127.0.0.1:" + settings.vaultStandbyPort,
                "export VAULT_TOKEN=" + VaultComponent.token(layout),
                "export VAULT_REPLICATOR_PRIMARY_TOKEN=" + VaultComponent.token(layout),
                "export VAULT_REPLICATOR_STANDBY_TOKEN=" + VaultComponent.token(layout),
                "export PROMOTION_URL=" + PromotionComponent.url(settings),
                "export PROMOTION_VIEWER_TOKEN=" + tokens.viewer(),
                "export PROMOTION_OPERATOR_TOKEN=" + tokens.operator(),
                "export PROMOTION_BREAKGLASS_TOKEN=" + tokens.breakglass(),
                "");
    }

    static boolean portsFree(Settings settings) {
        List<String> taken = new ArrayList<>();
        settings.ports().forEach((option, port) -> {
            if (!FreePorts.isFree(port)) {
                taken.add("port " + port + " (" + option + ") is already in use");
            }
        });
        if (!taken.isEmpty()) {
            System.err.println(String.join("\n", taken)
                    + "\nfree it, or choose another port with the option named (see ./devstack up --help)");
        }
        return taken.isEmpty();
    }

    /** Starts every component in order, each once the one before is ready; on a failure, stops those started. */
    static boolean startAll(Settings settings, DevstackLayout layout) {
        if (VaultComponent.Kind.parse(settings.vault) == VaultComponent.Kind.EMULATOR && Executables.ignoresHangup()) {
            System.err.println("devstack runs with SIGHUP ignored (under nohup?): the Vault emulator would inherit that "
                    + "and never reread its audit devices, so capture could not start. Use ./devstack up --detach "
                    + "to run in the background, or --vault openbao.");
            return false;
        }
        List<String> started = new ArrayList<>();
        try {
            for (String name : COMPONENTS) {
                long begin = System.nanoTime();
                Component component = component(name, settings, layout);
                ProcessHandle process = Supervisor.start(component, layout);
                started.add(name);
                System.out.printf("  %-14s ready in %5.1f s  %-32s pid %d%n", name,
                        (System.nanoTime() - begin) / 1e9, address(name, component, settings), process.pid());
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            started.forEach(name -> Supervisor.stop(name, layout, false));
            return false;
        }
        layout.writeOwnerOnly(layout.envFile(), envFile(settings, layout));
        return true;
    }

    // ---- subcommands -------------------------------------------------------------------------

    @Command(name = "up", description = "Start every component and wait until each is ready. Stays in the "
            + "foreground until Ctrl-C, which stops everything, unless --detach.")
    static final class Up implements Callable<Integer> {
        @CommandLine.ParentCommand
        Devstack parent;
        @CommandLine.Mixin
        Settings settings = new Settings();
        @Option(names = "--detach", description = "Return once every component is ready; stop with ./devstack down.")
        boolean detach;

        @Override
        public Integer call() throws InterruptedException {
            DevstackLayout layout = parent.layout();
            settings.resolveVault();
            String before = Files.exists(layout.settingsFile()) ? Settings.load(layout).vault : settings.vault;
            if (!before.equals(settings.vault) && Files.exists(layout.home().resolve("data"))) {
                System.err.println("this devstack ran the " + before + " before, and its broker and apply state hold "
                        + "that Vault's secrets; start clean with ./devstack down --wipe, or keep it with --vault "
                        + before);
                return 1;
            }
            List<String> running = COMPONENTS.stream().filter(c -> layout.running(c).isPresent()).toList();
            if (!running.isEmpty()) {
                System.err.println("devstack is already running here (" + String.join(", ", running)
                        + "); see ./devstack status, or stop it with ./devstack down");
                return 1;
            }
            if (!portsFree(settings)) {
                return 1;
            }
            settings.save(layout);
            System.out.println("Starting devstack in " + layout.home() + " ...");
            if (VaultComponent.Kind.parse(settings.vault) == VaultComponent.Kind.EMULATOR) {
                System.out.println(OpenBaoServer.findBinary().isPresent()
                        ? "  (Vaults: the emulator, as --vault emulator asks; without it, a bao binary was found)"
                        : "  (Vaults: the emulator, since no bao binary was found. For a real OpenBao: "
                                + VaultComponent.GET_OPENBAO + ", then ./devstack down --wipe and up again)");
            }
            if (!startAll(settings, layout)) {
                return 1;
            }
            System.out.println();
            System.out.println("Environment: source " + layout.envFile());
            // The tokens are secrets: the env file (owner-only) has them, the terminal does not.
            System.out.print(envFile(settings, layout).lines().skip(1).filter(l -> !l.contains("_TOKEN="))
                    .map(l -> "  " + l + "\n").reduce("", String::concat));
            System.out.println("  (and VAULT_TOKEN for both Vaults, VAULT_REPLICATOR_PRIMARY_TOKEN, "
                    + "VAULT_REPLICATOR_STANDBY_TOKEN, PROMOTION_VIEWER_TOKEN, PROMOTION_OPERATOR_TOKEN, "
                    + "PROMOTION_BREAKGLASS_TOKEN)");
            System.out.println();
            System.out.println("Try: source " + layout.envFile());
            System.out.println("     curl -s -H \"X-Vault-Token: $VAULT_TOKEN\" -X POST -d '{\"data\":{\"password\":\"s3cret\"}}' "
                    + "http://127.0.0.1:" + settings.vaultPrimaryPort + "/v1/secret/data/demo");
            System.out.println("     then ./devstack events   (the sealed event capture published on "
                    + settings.topicPrefix + ".changes)");
            System.out.println("     and  curl -s -H \"X-Vault-Token: $VAULT_TOKEN\" http://127.0.0.1:" + settings.vaultStandbyPort
                    + "/v1/secret/data/demo   (the same secret, applied to the standby)");
            System.out.println("     and  curl -s " + PromotionComponent.url(settings) + "/health/standby/" + STANDBY_REGION
                    + "   (200 once " + STANDBY_REGION + " is fit to promote; /v1/status with a token says why)");
            System.out.println();
            System.out.println("Dashboard: " + PromotionComponent.url(settings) + "/   (sign in with $PROMOTION_VIEWER_TOKEN "
                    + "to watch, $PROMOTION_OPERATOR_TOKEN to drill and promote: echo them after sourcing the env file)");
            System.out.println("Logs: " + layout.home() + "/<component>.log");
            if (detach) {
                System.out.println("Running in the background; stop with ./devstack down");
                return 0;
            }
            System.out.println("Press Ctrl-C to stop everything.");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("\nStopping devstack ...");
                for (String name : STOP_ORDER) {
                    Supervisor.stop(name, layout, false);
                }
                System.out.println("Stopped.");
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "status", description = "Show each component: running or not, its pid, address and memory. "
            + "Exit code 0 only when all run.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        Devstack parent;

        @Override
        public Integer call() {
            DevstackLayout layout = parent.layout();
            Settings settings = Settings.load(layout);
            int down = 0;
            for (String name : COMPONENTS) {
                Optional<ProcessHandle> process = layout.running(name);
                String address = address(name, component(name, settings, layout), settings);
                if (process.isPresent()) {
                    System.out.printf("  %-14s running  pid %-8d %-32s rss %s%n", name, process.get().pid(), address,
                            Supervisor.rss(process.get()));
                } else {
                    down++;
                    System.out.printf("  %-14s stopped%n", name);
                }
            }
            for (String name : MIRRORS) {
                layout.running(name).ifPresent(process -> System.out.printf("  %-14s running  pid %-8d %-32s rss %s%n",
                        name, process.pid(), component(name, settings, layout).address(), Supervisor.rss(process)));
            }
            return down == 0 ? 0 : 3;
        }
    }

    @Command(name = "down", description = "Stop every component (SIGTERM, then SIGKILL after 30 s). Data is kept "
            + "unless --wipe.")
    static final class Down implements Callable<Integer> {
        @CommandLine.ParentCommand
        Devstack parent;
        @Option(names = "--wipe", description = "Then remove .devstack/data (both Vaults, the broker, apply's state) "
                + "and the Vaults' keys, after asking, so the next up starts clean.")
        boolean wipe;
        @Option(names = "--yes", description = "With --wipe: do not ask.")
        boolean yes;

        @Override
        public Integer call() throws IOException {
            DevstackLayout layout = parent.layout();
            for (String name : STOP_ORDER) {
                System.out.printf("  %-14s %s%n", name, Supervisor.stop(name, layout, false) ? "stopped" : "was not running");
            }
            if (!wipe) {
                return 0;
            }
            Path data = layout.home().resolve("data");
            if (!yes) {
                java.io.Console console = System.console();
                if (console == null) {
                    System.err.println("--wipe asks before it removes " + data + "; without a terminal, add --yes");
                    return 1;
                }
                String answer = console.readLine("Remove %s and every secret in both Vaults? [y/N] ", data);
                if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
                    System.out.println("Kept " + data);
                    return 0;
                }
            }
            DevstackLayout.deleteTree(data);
            // The audit device files name the socket device once it existed; a new Vault must add it anew.
            for (String vault : List.of(VaultComponent.PRIMARY, VaultComponent.STANDBY)) {
                Files.deleteIfExists(layout.home().resolve(vault + "-audit.hcl"));
            }
            System.out.println("Removed " + data);
            return 0;
        }
    }

    /** A command on one of the two Vaults. */
    abstract static class OnOneVault implements Callable<Integer> {
        @CommandLine.ParentCommand
        Devstack parent;
        @Parameters(paramLabel = "VAULT", description = "vault-primary or vault-standby")
        String name;

        /** @return what to tell the user */
        abstract String act(String vault, Settings settings, DevstackLayout layout);

        @Override
        public Integer call() {
            DevstackLayout layout = parent.layout();
            System.out.println(act(vaultName(name), Settings.load(layout), layout));
            return 0;
        }
    }

    @Command(name = "seal", description = "Seal one Vault (vault-primary or vault-standby): it answers 503 until unsealed.")
    static final class Seal extends OnOneVault {
        @Override
        String act(String vault, Settings settings, DevstackLayout layout) {
            VaultComponent.seal(vault, settings, layout);
            return vault + " sealed; ./devstack unseal " + vault + " unseals it";
        }
    }

    @Command(name = "unseal", description = "Unseal one Vault with the key devstack keeps for it.")
    static final class Unseal extends OnOneVault {
        @Override
        String act(String vault, Settings settings, DevstackLayout layout) {
            VaultComponent.unseal(vault, settings, layout);
            return vault + " unsealed";
        }
    }

    static String vaultName(String name) {
        if (!name.equals(VaultComponent.PRIMARY) && !name.equals(VaultComponent.STANDBY)) {
            throw new IllegalArgumentException("'" + name + "' is not a Vault; vault-primary or vault-standby");
        }
        return name;
    }

    @Command(name = "stop", description = "Stop one component cleanly (SIGTERM).")
    static final class Stop implements Callable<Integer> {
        @CommandLine.ParentCommand
        Devstack parent;
        @Parameters(paramLabel = "COMPONENT", description = COMPONENT_NAMES)
        String name;

        @Override
        public Integer call() {
            return parent.stopOne(name, false);
        }
    }

    @Command(name = "kill", description = "Kill one component with SIGKILL, as a crash would.")
    static final class Kill implements Callable<Integer> {
        @CommandLine.ParentCommand
        Devstack parent;
        @Parameters(paramLabel = "COMPONENT", description = COMPONENT_NAMES)
        String name;

        @Override
        public Integer call() {
            return parent.stopOne(name, true);
        }
    }

    @Command(name = "start", description = "Start one component again, on the ports and data of the last up.")
    static final class Start implements Callable<Integer> {
        @CommandLine.ParentCommand
        Devstack parent;
        @Parameters(paramLabel = "COMPONENT", description = COMPONENT_NAMES)
        String name;

        @Override
        public Integer call() {
            DevstackLayout layout = parent.layout();
            Settings settings = Settings.load(layout);
            Component component = component(name, settings, layout);
            long begin = System.nanoTime();
            ProcessHandle process = Supervisor.start(component, layout);
            System.out.printf("%s ready in %.1f s at %s, pid %d%n", name, (System.nanoTime() - begin) / 1e9,
                    address(name, component, settings), process.pid());
            return 0;
        }
    }
}
