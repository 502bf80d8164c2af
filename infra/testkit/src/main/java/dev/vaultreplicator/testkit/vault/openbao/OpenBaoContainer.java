package dev.vaultreplicator.testkit.vault.openbao;

import dev.vaultreplicator.testkit.vault.AuditDeclaration;
import dev.vaultreplicator.testkit.vault.AuditDeclarations;
import dev.vaultreplicator.testkit.vault.VaultServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/**
 * OpenBao in a container (Testcontainers), for a machine with a Docker engine and no {@code bao}
 * binary: the dev server, in memory, with its audit devices declared in a config file as
 * {@link OpenBaoServer} declares them (rewritten, then SIGHUP). A socket device reaches a listener
 * on the host through Testcontainers' host port forwarding. It cannot be stopped and started
 * again on the same data; tests that need that ask for the binary.
 */
public final class OpenBaoContainer implements VaultServer {

    public static final String IMAGE = "openbao/openbao:2.7.2";
    private static final String AUDIT_FILE = "/openbao/audit/audit.hcl";
    private static final Pattern UNSEAL_KEY = Pattern.compile("Unseal Key: (\\S+)");

    private final GenericContainer<?> container;
    private final String rootToken = "root-" + UUID.randomUUID();

    private OpenBaoContainer() {
        container = new GenericContainer<>(IMAGE)
                .withCommand("server", "-dev", "-dev-root-token-id=" + rootToken,
                        "-dev-listen-address=0.0.0.0:8200", "-config=" + AUDIT_FILE)
                .withCopyToContainer(Transferable.of(AuditDeclarations.hcl(List.of())), AUDIT_FILE)
                .withExposedPorts(8200)
                .waitingFor(Wait.forHttp("/v1/sys/health").forStatusCode(200)
                        .withStartupTimeout(Duration.ofSeconds(60)));
    }

    public static OpenBaoContainer start() {
        OpenBaoContainer openBao = new OpenBaoContainer();
        openBao.container.start();
        return openBao;
    }

    @Override
    public String address() {
        return "http://" + container.getHost() + ":" + container.getMappedPort(8200);
    }

    @Override
    public String rootToken() {
        return rootToken;
    }

    /** The dev server prints its one unseal key at start. */
    @Override
    public String unsealKey() {
        Matcher key = UNSEAL_KEY.matcher(container.getLogs());
        if (!key.find()) {
            throw new IllegalStateException("the OpenBao container printed no unseal key");
        }
        return key.group(1);
    }

    /**
     * Socket devices given as {@code 127.0.0.1:<port>} (a listener on the host) are pointed at the
     * host through Testcontainers' port forwarding; file devices write inside the container.
     */
    @Override
    public void declareAuditDevices(List<AuditDeclaration> devices) {
        List<AuditDeclaration> reachable = devices.stream().map(this::fromTheContainer).toList();
        container.copyFileToContainer(Transferable.of(AuditDeclarations.hcl(reachable)), AUDIT_FILE);
        container.getDockerClient().killContainerCmd(container.getContainerId()).withSignal("HUP").exec();
        Set<String> wanted = devices.stream().map(device -> device.path() + "/").collect(Collectors.toSet());
        new OpenBaoAdmin(address()).awaitAuditDevices(rootToken, wanted::equals, Duration.ofSeconds(30),
                container::isRunning);
    }

    @Override
    public void close() {
        container.stop();
    }

    private AuditDeclaration fromTheContainer(AuditDeclaration device) {
        Map<String, String> options = new HashMap<>(device.options());
        if (device.type().equals("file")) {
            options.put("file_path", "/tmp/audit-" + device.path() + ".log");
        }
        String address = options.getOrDefault("address", "");
        if (address.startsWith("127.0.0.1:")) {
            int port = Integer.parseInt(address.substring("127.0.0.1:".length()));
            Testcontainers.exposeHostPorts(port);
            options.put("address", "host.testcontainers.internal:" + port);
        }
        return new AuditDeclaration(device.type(), device.path(), options);
    }
}
