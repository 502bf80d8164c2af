package dev.vaultreplicator.testkit.vault.openbao;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import dev.vaultreplicator.testkit.vault.AuditDeclaration;
import dev.vaultreplicator.testkit.vault.AuditDeclarations;

/**
 * The config file of one {@code bao server}: a plain-HTTP listener on loopback, optionally a TLS
 * listener beside it, in-memory or raft storage, and the declared audit devices.
 *
 * @param raftDirectory where raft keeps its data, or {@code null} for OpenBao's in-memory storage
 *                      (OpenBao 2.7 has no {@code file} storage; raft is what keeps data across a restart)
 * @param tls a TLS listener beside the plain one, or {@code null}
 */
public record OpenBaoConfig(int port, int clusterPort, Path raftDirectory, List<AuditDeclaration> auditDevices,
        TlsListener tls) {

    /**
     * A TLS listener on loopback with this certificate and key (PEM files).
     *
     * @param clientCa when not {@code null}, the listener requires a client certificate this authority issued
     */
    public record TlsListener(int port, int clusterPort, Path certificate, Path privateKey, Path clientCa) {
        public TlsListener {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
        }

        public String address() {
            return "https://127.0.0.1:" + port;
        }

        String hcl() {
            String clientAuth = clientCa == null ? ""
                    : "  tls_client_ca_file = " + quoted(clientCa) + "\n  tls_require_and_verify_client_cert = true\n";
            return "listener \"tcp\" {\n  address = \"127.0.0.1:" + port + "\"\n  cluster_address = \"127.0.0.1:"
                    + clusterPort + "\"\n  tls_cert_file = " + quoted(certificate) + "\n  tls_key_file = "
                    + quoted(privateKey) + "\n" + clientAuth + "}\n";
        }
    }

    public OpenBaoConfig(int port, int clusterPort, Path raftDirectory, List<AuditDeclaration> auditDevices) {
        this(port, clusterPort, raftDirectory, auditDevices, null);
    }

    public OpenBaoConfig {
        auditDevices = List.copyOf(Objects.requireNonNull(auditDevices, "auditDevices"));
    }

    public OpenBaoConfig withAuditDevices(List<AuditDeclaration> devices) {
        return new OpenBaoConfig(port, clusterPort, raftDirectory, devices, tls);
    }

    public String address() {
        return "http://127.0.0.1:" + port;
    }

    public String hcl() {
        String storage = raftDirectory == null ? "storage \"inmem\" {}\n"
                // A single node: performance_multiplier 1 elects itself leader in about a second, not five.
                : "storage \"raft\" {\n  path = " + quoted(raftDirectory) + "\n"
                        + "  node_id = \"node-" + port + "\"\n  performance_multiplier = 1\n}\n";
        return storage
                // Without cluster_address the listener also binds port + 1, which may be another server's.
                + "listener \"tcp\" {\n  address = \"127.0.0.1:" + port + "\"\n  cluster_address = \"127.0.0.1:"
                + clusterPort + "\"\n  tls_disable = true\n}\n"
                + (tls == null ? "" : tls.hcl())
                + "api_addr = \"" + address() + "\"\n"
                + "cluster_addr = \"http://127.0.0.1:" + clusterPort + "\"\n"
                + "ui = false\n"
                + AuditDeclarations.hcl(auditDevices);
    }

    private static String quoted(Path path) {
        return AuditDeclarations.quoted(path.toAbsolutePath().toString());
    }
}
