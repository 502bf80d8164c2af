package dev.vaultreplicator.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.vaultreplicator.testkit.vault.AuditDeclaration;
import dev.vaultreplicator.testkit.vault.AuditDeclarations;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoAdmin;
import dev.vaultreplicator.testkit.process.Executables;

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
        OpenBaoAdmin admin = new OpenBaoAdmin(vaultAddress);
        while (!admin.auditDevices(token).contains(SOCKET_DEVICE + "/")) {
            if (!capture.isAlive()) {
                throw new IllegalStateException("the process exited");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(vaultName + " did not take its audit device to capture on port "
                        + port + " within 60 s; see " + layout.logFile(vaultName));
            }
            Executables.signal("HUP", vault.pid());
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
}
