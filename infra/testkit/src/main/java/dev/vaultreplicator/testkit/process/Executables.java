package dev.vaultreplicator.testkit.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Programs outside the JVM: finding one on PATH, and sending a process a signal. */
public final class Executables {

    private Executables() {
    }

    /** The first executable of this name on PATH. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    /**
     * {@code kill -<signal> <pid>}: the JDK can send only TERM and KILL, and a server rereads its
     * config on HUP.
     */
    public static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + pid, e);
        }
    }

    /**
     * Whether this process ignores SIGHUP, as everything started under {@code nohup} does. Its
     * children inherit that, and a JVM that starts with SIGHUP ignored can never catch it, so the
     * Vault emulator would not reread its config on HUP. Read from Linux's {@code /proc}; false
     * where that is not there.
     */
    public static boolean ignoresHangup() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 1) != 0;
                }
            }
        } catch (IOException | NumberFormatException notLinux) {
            return false;
        }
        return false;
    }
}
