package dev.vaultreplicator.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.vaultreplicator.testkit.vault.AuditDeclaration;
import dev.vaultreplicator.testkit.vault.AuditDeclarations;

/**
 * A devstack Vault's audit devices, declared as docs/capture.md asks of an operator: a file device,
 * so the Vault goes on answering while capture is stopped (it refuses requests when no device can
 * be written), and the socket device that feeds capture. They live in a config file of their own
 * beside the server's ({@code <vault>-audit.hcl}), which OpenBao and the emulator both read at
 * start and again on SIGHUP; OpenBao refuses to create audit devices through its API.
 */
final class DeclaredAuditDevices {

    static final String FILE_DEVICE = "file";
    static final String SOCKET_DEVICE = "capture";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String vaultName;
    private final DevstackLayout layout;

    DeclaredAuditDevices(String vaultName, DevstackLayout layout) {
        this.vaultName = vaultName;
        this.layout = layout;
    }

    /** The config file the Vault is started with; made with the file device alone on first use. */
    Path configFile() {
        Path file = layout.home().resolve(vaultName + "-audit.hcl");
        if (!Files.exists(file)) {
            write(List.of(AuditDeclaration.file(FILE_DEVICE, layout.logFile(vaultName + "-audit"))));
        }
        return file;
    }

    /**
     * Declares the socket device that writes to capture on {@code port}, once capture listens: the
     * server tests a new socket device with a probe line and drops it when the probe fails, so the
     * Vault is told again (SIGHUP) until it lists the device. A device declared before stays, and
     * reconnects by itself on its next write.
     */
    void connectSocketDevice(int port, String vaultAddress, String token, ProcessHandle capture) {
        List<AuditDeclaration> devices = new ArrayList<>(declared());
        if (devices.stream().noneMatch(device -> device.path().equals(SOCKET_DEVICE))) {
            devices.add(AuditDeclaration.socket(SOCKET_DEVICE, "127.0.0.1:" + port));
            write(devices);
        }
        ProcessHandle vault = layout.running(vaultName).orElseThrow(() ->
                new IllegalStateException(vaultName + " does not run, so it cannot feed capture"));
        Instant deadline = Instant.now().plusSeconds(60);
        while (!listed(vaultAddress, token).contains("\"" + SOCKET_DEVICE + "/\"")) {
            if (!capture.isAlive()) {
                throw new IllegalStateException("the process exited");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(vaultName + " did not take its audit device to capture on port "
                        + port + " within 60 s; see " + layout.logFile(vaultName));
            }
            hangUp(vault);
            Supervisor.pause();
        }
    }

    private List<AuditDeclaration> declared() {
        try {
            return AuditDeclarations.parse(Files.readString(configFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(List<AuditDeclaration> devices) {
        layout.write(layout.home().resolve(vaultName + "-audit.hcl"),
                "# Written by ./devstack: the audit devices of " + vaultName + ", read at start and on SIGHUP.\n"
                        + AuditDeclarations.hcl(devices));
    }

    private static void hangUp(ProcessHandle vault) {
        try {
            new ProcessBuilder("kill", "-HUP", Long.toString(vault.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + vault.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String listed(String vaultAddress, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(vaultAddress + "/v1/sys/audit"))
                .timeout(Duration.ofSeconds(5)).header("X-Vault-Token", token).GET().build();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("listing the audit devices of " + vaultName + " answered "
                        + answer.statusCode() + ": " + answer.body());
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + vaultName + " at " + vaultAddress, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
