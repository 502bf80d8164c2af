package dev.vaultreplicator.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.vaultreplicator.config.Durations;
import dev.vaultreplicator.devstack.bench.BenchOptions;
import dev.vaultreplicator.devstack.bench.BenchReport;
import dev.vaultreplicator.devstack.bench.BenchRun;
import dev.vaultreplicator.devstack.bench.BenchStack;
import dev.vaultreplicator.devstack.bench.BenchVault;
import dev.vaultreplicator.devstack.bench.EndpointsStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./devstack bench}: starts a devstack of its own (in {@code .devstack/bench/}, on ports
 * beside the usual ones, so a devstack already up is left alone), runs every phase of
 * {@link BenchRun} against its processes, prints the figures and keeps them in
 * {@code .devstack/bench.json}, then stops it. With {@code --endpoints}, the same phases run
 * against a pipeline described in a file ({@link EndpointsStack}), each one it cannot run skipped
 * with the reason, and the keys written are deleted afterwards.
 */
@Command(name = "bench", sortOptions = false,
        description = "Benchmark the pipeline on a devstack of its own, or with --endpoints on one that runs already: "
                + "latency, throughput against the standby's ceiling, bootstrap, scan, stall detection and memory. "
                + "Prints one line per figure group and writes .devstack/bench.json.")
final class BenchCommand implements Callable<Integer> {

    /** The promotion service's own default: what a deployment runs, not devstack's minute. */
    private static final String PROMOTION_DEFAULT_INSPECT_INTERVAL = "5m";

    @CommandLine.ParentCommand
    Devstack parent;
    @CommandLine.Mixin
    Settings settings = new Settings();
    @Option(names = "--rate", defaultValue = "200", description = "Changes per second of the latency phase. Default: ${DEFAULT-VALUE}.")
    int rate;
    @Option(names = "--seconds", defaultValue = "60s", description = "Measured time of the latency phase. Default: ${DEFAULT-VALUE}.")
    String seconds;
    @Option(names = "--warmup", defaultValue = "10s", description = "Warm-up before it, at the same rate. Default: ${DEFAULT-VALUE}.")
    String warmup;
    @Option(names = "--keys", defaultValue = "100000", description = "Keys preloaded for bootstrap and scan. Default: ${DEFAULT-VALUE}.")
    int keys;
    @Option(names = "--value-bytes", defaultValue = "100", description = "About how large each secret is. Default: ${DEFAULT-VALUE}.")
    int valueBytes;
    @Option(names = "--clients", defaultValue = "4", description = "Concurrent clients of throughput, its ceiling and the preload. Default: ${DEFAULT-VALUE}.")
    int clients;
    @Option(names = "--writes", defaultValue = "4000", description = "Writes of the throughput phase and of its ceiling. Default: ${DEFAULT-VALUE}.")
    int writes;
    @Option(names = "--max-lag", defaultValue = "5s", description = "The lag that counts as a detected stall (the promotion service's default). Default: ${DEFAULT-VALUE}.")
    String maxLag;
    @Option(names = "--port-offset", defaultValue = "100", description = "The bench stack's ports: each usual port plus this. Default: ${DEFAULT-VALUE}.")
    int portOffset;
    @Option(names = "--keep", description = "Leave the bench stack running afterwards (./devstack --home .devstack/bench down stops it); "
            + "with --endpoints, leave the keys the run wrote.")
    boolean keep;
    @Option(names = "--endpoints", paramLabel = "FILE", description = "Benchmark a pipeline that runs already, described in "
            + "FILE (see docs/benchmarks.md), instead of a devstack of the bench's own. It writes keys under bench/ on "
            + "both Vaults and deletes them afterwards: use a staging pair, not production.")
    Path endpoints;

    @Override
    public Integer call() throws IOException, InterruptedException {
        BenchOptions options = new BenchOptions(rate, Durations.parse(seconds), Durations.parse(warmup), keys, valueBytes,
                clients, writes, Durations.parse(maxLag));
        BenchReport report = new BenchReport();
        report.about("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version")));
        report.about("options", options.asMap());
        Path json = parent.layout().home().resolve("bench.json");
        return endpoints == null ? onItsOwnDevstack(options, report, json) : onEndpoints(options, report, json);
    }

    private int onItsOwnDevstack(BenchOptions options, BenchReport report, Path json)
            throws IOException, InterruptedException {
        DevstackLayout layout = new DevstackLayout(parent.layout().home().resolve("bench"));
        settings.resolveVault();
        Settings shifted = settings.shifted(portOffset);
        shifted.inspectInterval = PROMOTION_DEFAULT_INSPECT_INTERVAL;
        Devstack.STOP_ORDER.forEach(name -> Supervisor.stop(name, layout, false));
        DevstackLayout.deleteTree(layout.home());
        if (!Devstack.portsFree(shifted)) {
            return 1;
        }
        shifted.save(layout);
        System.out.println("Starting a devstack for the benchmark in " + layout.home() + " (" + shifted.vault + ") ...");
        if (!Devstack.startAll(shifted, layout)) {
            return 1;
        }
        report.about("vault", VaultComponent.describe(VaultComponent.PRIMARY, shifted));
        report.about("partitions", shifted.partitions);
        BenchRun run = new BenchRun(new Stack(shifted, layout, valueBytes), options, report, System.out);
        return runAndReport(run, report, json, () -> {
            if (!keep) {
                System.out.println("Stopping the bench stack ...");
                Devstack.STOP_ORDER.forEach(name -> Supervisor.stop(name, layout, false));
            }
        });
    }

    private int onEndpoints(BenchOptions options, BenchReport report, Path json) throws IOException, InterruptedException {
        EndpointsStack stack;
        try {
            stack = EndpointsStack.load(endpoints, valueBytes);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        System.out.println("Benchmarking the pipeline of " + endpoints + ": primary " + stack.primary().address()
                + ", standby " + stack.standby().address() + " ...");
        report.about("vault", "endpoints from " + endpoints.toAbsolutePath());
        BenchRun run = new BenchRun(stack, options, report, System.out);
        return runAndReport(run, report, json, () -> {
            if (!keep) {
                run.removeWhatItWrote();
            }
        });
    }

    private interface Afterwards {
        void run() throws InterruptedException;
    }

    /**
     * Runs the phases, then cleans up and reports once: after the last phase, after one that
     * failed, or when Ctrl-C or a SIGTERM stops the bench (a shutdown hook; the main thread's
     * finally does not run then), so an interrupted bench leaves no stack running.
     */
    private static int runAndReport(BenchRun run, BenchReport report, Path json, Afterwards afterwards)
            throws IOException, InterruptedException {
        AtomicBoolean finished = new AtomicBoolean();
        Thread interrupted = new Thread(() -> {
            if (finished.compareAndSet(false, true)) {
                System.out.println("\nbench: interrupted; cleaning up ...");
                finish(report, json, afterwards);
            }
        }, "bench-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            run.all();
        } finally {
            if (finished.compareAndSet(false, true)) {
                finish(report, json, afterwards);
                Runtime.getRuntime().removeShutdownHook(interrupted);
            }
        }
        return 0;
    }

    private static void finish(BenchReport report, Path json, Afterwards afterwards) {
        try {
            afterwards.run();
            // A phase that failed still leaves the figures of those before it.
            report.write(json);
            System.out.println("Figures also in " + json);
        } catch (IOException e) {
            System.err.println("bench: could not write " + json + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        report.print(System.out);
    }

    /** The bench's devstack as {@link BenchRun} sees it; a component's peak memory outlives its restarts. */
    private static final class Stack implements BenchStack {
        private static final Map<String, String> COMPONENTS = Map.of(CAPTURE, CaptureComponent.NAME, APPLY,
                ApplyComponent.NAME);
        private static final List<String> MEASURED = List.of(CaptureComponent.NAME, ApplyComponent.NAME,
                PromotionComponent.NAME, "broker", VaultComponent.PRIMARY, VaultComponent.STANDBY);
        private final Settings settings;
        private final DevstackLayout layout;
        private final BenchVault primary;
        private final BenchVault standby;
        private final Map<String, Long> peaks = new LinkedHashMap<>();
        /** CPU of the incarnations that were stopped: a restart starts the counter again. */
        private final Map<String, Double> cpuOfStopped = new LinkedHashMap<>();

        Stack(Settings settings, DevstackLayout layout, int valueBytes) {
            this.settings = settings;
            this.layout = layout;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String token = VaultComponent.token(layout);
            this.primary = new BenchVault(http, URI.create("http://127.0.0.1:" + settings.vaultPrimaryPort), token,
                    BenchVault.DEVSTACK_MOUNT, valueBytes);
            this.standby = new BenchVault(http, URI.create("http://127.0.0.1:" + settings.vaultStandbyPort), token,
                    BenchVault.DEVSTACK_MOUNT, valueBytes);
        }

        @Override
        public BenchVault primary() {
            return primary;
        }

        @Override
        public BenchVault standby() {
            return standby;
        }

        @Override
        public String standbyRegion() {
            return Devstack.STANDBY_REGION;
        }

        @Override
        public URI promotion() {
            return URI.create(PromotionComponent.url(settings));
        }

        @Override
        public URI captureMetrics() {
            return URI.create("http://127.0.0.1:" + settings.captureMetricsPort + "/metrics");
        }

        @Override
        public void stop(String component) {
            String name = COMPONENTS.get(component);
            layout.running(name).ifPresent(process -> {
                remember(name, process);
                Supervisor.cpuSeconds(process).ifPresent(seconds -> cpuOfStopped.merge(name, seconds, Double::sum));
            });
            Supervisor.stop(name, layout, false);
        }

        @Override
        public void start(String component) {
            String name = COMPONENTS.get(component);
            Supervisor.start(Devstack.component(name, settings, layout), layout);
        }

        @Override
        public Map<String, Double> cpuSeconds() {
            Map<String, Double> named = new LinkedHashMap<>();
            for (String name : MEASURED) {
                double seconds = cpuOfStopped.getOrDefault(name, 0.0)
                        + layout.running(name).flatMap(Supervisor::cpuSeconds).orElse(0.0);
                named.put(shortName(name), seconds);
            }
            // The load itself shares the machine: its cost is part of where the time goes.
            named.put("bench_client", Supervisor.cpuSeconds(ProcessHandle.current()).orElse(0.0));
            return named;
        }

        @Override
        public Map<String, Long> peakMemory() {
            for (String name : Devstack.COMPONENTS) {
                layout.running(name).ifPresent(process -> remember(name, process));
            }
            Map<String, Long> named = new LinkedHashMap<>();
            MEASURED.forEach(name -> {
                        if (peaks.containsKey(name)) {
                            named.put(shortName(name), peaks.get(name));
                        }
                    });
            return named;
        }

        private void remember(String name, ProcessHandle process) {
            Supervisor.peakRssBytes(process).ifPresent(bytes -> peaks.merge(name, bytes, Math::max));
        }

        private static String shortName(String name) {
            return name.replaceFirst("-(east|west)$", "").replace("vault-", "vault_");
        }
    }
}
