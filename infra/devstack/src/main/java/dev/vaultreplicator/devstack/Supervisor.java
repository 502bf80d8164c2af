package dev.vaultreplicator.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.vaultreplicator.testkit.process.ChildJvm;

/** The devstack's processes: start one and wait until it is ready, stop or kill it, read its memory. */
final class Supervisor {

    /** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every architecture the JDK runs on. */
    private static final int CLOCK_TICKS = 100;

    private Supervisor() {
    }

    static void awaitHealthy(String address, ProcessHandle process) {
        awaitAnswer(URI.create(address + "/v1/sys/health"), response -> response.statusCode() == 200, process,
                Duration.ofSeconds(30), "not healthy");
    }

    /**
     * Asks {@code uri} until an answer satisfies {@code ready}; throws when the time is up or the
     * process has exited, naming {@code notReady} and the time.
     */
    static void awaitAnswer(URI uri, Predicate<HttpResponse<String>> ready, ProcessHandle process, Duration timeout,
            String notReady) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                if (ready.test(client.send(request, HttpResponse.BodyHandlers.ofString()))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause();
        }
        throw new IllegalStateException(process.isAlive() ? notReady + " within " + timeout.toSeconds() + " s"
                : "the process exited");
    }

    static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a component unless it runs already, and waits until it is ready. */
    static ProcessHandle start(Component component, DevstackLayout layout) {
        Optional<ProcessHandle> running = layout.running(component.name());
        if (running.isPresent()) {
            return running.get();
        }
        Process process = ChildJvm.startProcess(component.command(), layout.logFile(component.name()), true);
        layout.recordPid(component.name(), process.pid());
        try {
            component.readiness().await(process.toHandle());
        } catch (RuntimeException e) {
            process.destroyForcibly();
            layout.forget(component.name());
            throw new IllegalStateException(component.name() + " did not start: " + e.getMessage()
                    + "\n--- last lines of " + layout.logFile(component.name()) + " ---\n"
                    + ChildJvm.tail(layout.logFile(component.name()), 20), e);
        }
        return process.toHandle();
    }

    /** SIGTERM, then SIGKILL if it has not exited within 30 s. */
    static boolean stop(String name, DevstackLayout layout, boolean kill) {
        Optional<ProcessHandle> running = layout.running(name);
        running.ifPresent(process -> {
            if (kill) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception timedOut) {
                process.destroyForcibly();
            }
        });
        layout.forget(name);
        return running.isPresent();
    }

    static String rss(ProcessHandle process) {
        return memoryKb(process, "VmRSS:").map(kb -> (kb / 1024) + " MB").orElse("?");
    }

    /** The most resident memory the process has held since it started (Linux's high-water mark). */
    static Optional<Long> peakRssBytes(ProcessHandle process) {
        return memoryKb(process, "VmHWM:").map(kb -> kb * 1024);
    }

    /** CPU time the process has used (user and system), from /proc; empty when unreadable. */
    static Optional<Double> cpuSeconds(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: utime is the 12th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> memoryKb(ProcessHandle process, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Optional.of(Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux, or the process just exited
        }
        return Optional.empty();
    }
}
