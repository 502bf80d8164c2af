package dev.vaultreplicator.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

        List<String> options() {
            return List.of("--broker-port", Integer.toString(ports[0]), "--controller-port", Integer.toString(ports[1]),
                    "--vault-primary-port", Integer.toString(ports[2]), "--vault-standby-port", Integer.toString(ports[3]),
                    "--capture-audit-port", Integer.toString(ports[4]), "--capture-metrics-port", Integer.toString(ports[5]),
                    "--apply-metrics-port", Integer.toString(ports[6]), "--promotion-port", Integer.toString(ports[7]));
        }
    }

    private DevstackScript() {
    }

    static Run run(Path home, List<String> args) {
        return runUnder(List.of(), home, args);
    }

    /** The same, under a wrapper such as {@code nohup}. */
    static Run runUnder(List<String> wrapper, Path home, List<String> args) {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(Path.of("..", "..", "devstack").toAbsolutePath().normalize().toString(), "--home",
                home.toString()));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
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
