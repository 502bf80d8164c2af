package dev.vaultreplicator.testkit.vault.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import dev.vaultreplicator.testkit.vault.AuditDeclaration;

/** Audit devices through {@code sys/audit/:path}, as HashiCorp Vault takes them. */
final class ApiAuditDevices implements Consumer<List<AuditDeclaration>> {

    private final VaultHttp vault;
    private final Set<String> enabled = new HashSet<>();

    ApiAuditDevices(VaultHttp vault) {
        this.vault = vault;
    }

    @Override
    public synchronized void accept(List<AuditDeclaration> devices) {
        Set<String> wanted = new HashSet<>();
        devices.forEach(device -> wanted.add(device.path()));
        for (String path : Set.copyOf(enabled)) {
            if (!wanted.contains(path)) {
                vault.delete("sys/audit/" + path);
                enabled.remove(path);
            }
        }
        for (AuditDeclaration device : devices) {
            if (enabled.add(device.path())) {
                var answer = vault.post("sys/audit/" + device.path(), Map.of("type", device.type(),
                        "options", device.options()));
                assertThat(answer.status()).as("enabling audit device %s", device.path()).isEqualTo(204);
            }
        }
    }
}
