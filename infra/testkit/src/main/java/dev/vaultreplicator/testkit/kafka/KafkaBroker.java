package dev.vaultreplicator.testkit.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.vaultreplicator.testkit.process.ChildJvm;
import dev.vaultreplicator.testkit.process.FreePorts;

/**
 * A single-node KRaft broker in a child JVM, which a test can stop, kill with SIGKILL and start
 * again on the same ports and data, as an operator would a real one.
 */
public final class KafkaBroker implements KafkaCluster {

    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final BrokerSettings settings;
    private Process process;
    private Duration lastStartup = Duration.ZERO;

    private KafkaBroker(BrokerSettings settings) {
        this.settings = settings;
    }

    /** Starts a broker on free ports with its files under {@code directory}, and waits until it is ready. */
    public static KafkaBroker start(Path directory) {
        int[] ports = FreePorts.allocate(2);
        return start(new BrokerSettings(directory, ports[0], ports[1]));
    }

    public static KafkaBroker start(BrokerSettings settings) {
        KafkaBroker broker = new KafkaBroker(settings.prepare());
        broker.launch();
        return broker;
    }

    @Override
    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    public BrokerSettings settings() {
        return settings;
    }

    /** How long the last start took, from launching the JVM to a produce/consume round trip. */
    public Duration lastStartup() {
        return lastStartup;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** A clean shutdown (SIGTERM): the broker flushes and closes its logs. */
    public void stop() {
        if (isRunning()) {
            process.destroy();
            awaitExit();
        }
    }

    /** SIGKILL: the broker gets no chance to flush or close anything. */
    public void kill() {
        if (isRunning()) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    /** Starts the broker again on the same ports and data, and waits until it is ready. */
    public void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() {
        long started = System.nanoTime();
        process = ChildJvm.start(BrokerSettings.MAIN_CLASS, settings.jvmOptions(),
                List.of(settings.configFile().toString()), settings.directory().resolve("broker.out"));
        try {
            BrokerProbe.awaitReady(bootstrapServers(), READY_TIMEOUT, process::isAlive);
        } catch (IllegalStateException e) {
            kill();
            throw new IllegalStateException(e.getMessage() + "\n--- broker output ---\n"
                    + ChildJvm.tail(settings.directory().resolve("broker.out"), 30), e);
        }
        lastStartup = Duration.ofNanos(System.nanoTime() - started);
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
