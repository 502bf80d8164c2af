package dev.vaultreplicator.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a main class in a JVM of its own, on this JVM's class path, with its output in a log file.
 * A child outlives the JVM that started it, so devstack can return while its components run on.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    public static Process start(String mainClass, List<String> jvmOptions, List<String> args, Path logFile) {
        return start(mainClass, jvmOptions, args, logFile, false);
    }

    /**
     * With {@code ownSession}, the child runs in a session of its own (setsid), so a Ctrl-C or a
     * closed terminal reaches only its parent, which then stops it in order.
     */
    public static Process start(String mainClass, List<String> jvmOptions, List<String> args, Path logFile,
                                boolean ownSession) {
        return startProcess(command(mainClass, jvmOptions, args), logFile, ownSession);
    }

    /** The command line that runs {@code mainClass} on this JVM's class path. */
    public static List<String> command(String mainClass, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Any program, a JVM or not, started the same way: output appended to its log, no input. */
    public static Process startProcess(List<String> command, Path logFile, boolean ownSession) {
        List<String> full = new ArrayList<>();
        if (ownSession && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            full.add("/usr/bin/setsid");
        }
        full.addAll(command);
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            return new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
    }

    /** Surefire runs tests from a manifest-only jar; the real class path is in this property. */
    public static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The last lines of a child's log, for an error message that says why it died. */
    public static String tail(Path logFile, int lines) {
        try {
            List<String> all = Files.exists(logFile) ? Files.readAllLines(logFile) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
