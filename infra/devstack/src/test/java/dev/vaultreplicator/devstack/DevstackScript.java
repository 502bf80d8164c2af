package dev.vaultreplicator.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.vaultreplicator.testkit.process.FreePorts;

/**
 * {@code ./devstack} run as a user runs it: the script at the repository root, on the jar and
 * {@code target/lib} that {@code package} made (so a dependency missing there fails the test).
 */
final class DevstackScript {

    record Run(int exitCode, String output) {
    }

    /** Free ports for every component, as the options that choose them; [2] and [3] are the Vaults'. */
    record Ports(int[] ports) {
        static Ports free() {
            return new Ports(FreePorts.allocate(8));
        }

        String vault(int index) {
            return "http://127.0.0.1:" + ports[index];
        }

        String promotion() {
            return "http://127.0.0.1:" + ports[7];
        }

        List<String> options() {
            return List.of("--broker-port", Integer.toString(ports[0]), "--controller-port", Integer.toString(ports[1]),
                    "--vault-primary-port", Integer.toString(ports[2]), "--vault-standby-port", Integer.toString(ports[3]),
                    "--capture-audit-port", Integer.toString(ports[4]), "--capture-metrics-port", Integer.toString(ports[5]),
                    "--apply-metrics-port", Integer.toString(ports[6]), "--promotion-port", Integer.toString(ports[7]));
        }
    }

    private DevstackScript() {
    }

    /** The script, as a command line a shell runs: {@code <path> --home <home>}. */
    static String commandLine(Path home) {
        return script() + " --home " + home;
    }

    private static String script() {
        return Path.of("..", "..", "devstack").toAbsolutePath().normalize().toString();
    }

    static Run run(Path home, List<String> args) {
        return runUnder(List.of(), home, args);
    }

    /** The same, with these variables added to its environment. */
    static Run runWith(Map<String, String> environment, Path home, List<String> args) {
        return start(List.of(), environment, home, args);
    }

    /** The same, under a wrapper such as {@code nohup}. */
    static Run runUnder(List<String> wrapper, Path home, List<String> args) {
        return start(wrapper, Map.of(), home, args);
    }

    private static Run start(List<String> wrapper, Map<String, String> environment, Path home, List<String> args) {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(script(), "--home", home.toString()));
        command.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            System.out.print(output);
            return new Run(code, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
