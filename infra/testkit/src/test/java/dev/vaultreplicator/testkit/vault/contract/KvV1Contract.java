package dev.vaultreplicator.testkit.vault.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KV v1 on a mount of its own (vault-api.md §2; Vault's "KV secrets engine - version 1 (API)" page). */
abstract class KvV1Contract {

    final VaultTarget target;
    VaultHttp vault;
    String mount;

    KvV1Contract(VaultTarget target) {
        this.target = target;
    }

    @BeforeEach
    void mount() {
        vault = target.http();
        mount = "contract-kv1-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(vault.post("sys/mounts/" + mount, Map.of("type", "kv")).status()).isEqualTo(204);
    }

    @AfterEach
    void unmount() {
        vault.delete("sys/mounts/" + mount);
    }

    @Test
    void aWriteReplacesTheWholeEntryAndAReadReturnsItAsWritten() {
        assertThat(vault.post(mount + "/app", Map.of("user", "u", "password", "p")).status()).isEqualTo(204);
        assertThat(vault.post(mount + "/app", Map.of("password", "q")).status()).isEqualTo(204);

        var read = vault.get(mount + "/app");

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.data().toString()).isEqualTo("{\"password\":\"q\"}");
        assertThat(read.json().get("lease_duration").asLong()).isEqualTo(2_764_800L);
        assertThat(read.json().get("renewable").asBoolean()).isFalse();
    }

    @Test
    void anEmptyWriteIsRefused() {
        var empty = vault.post(mount + "/app", Map.of());

        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.errors().get(0).asText()).isEqualTo("missing data fields");
    }

    @Test
    void deleteIs204WhetherOrNotTheEntryExisted() {
        vault.post(mount + "/app", Map.of("k", "v"));

        assertThat(vault.delete(mount + "/app").status()).isEqualTo(204);
        assertThat(vault.delete(mount + "/never").status()).isEqualTo(204);
        assertThat(vault.get(mount + "/app").status()).isEqualTo(404);
        assertThat(vault.get(mount + "/app").errors()).isEmpty();
    }

    @Test
    void listShowsChildrenWithFoldersSuffixedAndAnEmptyFolderIs404() {
        vault.post(mount + "/team/b", Map.of("k", "v"));
        vault.post(mount + "/team/a/x", Map.of("k", "v"));

        assertThat(vault.list(mount + "/team").data().get("keys")).extracting(n -> n.asText())
                .containsExactly("a/", "b");
        assertThat(vault.list(mount + "/").data().get("keys")).extracting(n -> n.asText()).containsExactly("team/");
        assertThat(vault.list(mount + "/nobody/").status()).isEqualTo(404);
    }
}
