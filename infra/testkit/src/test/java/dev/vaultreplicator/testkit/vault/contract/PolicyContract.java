package dev.vaultreplicator.testkit.vault.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code sys/policy} and {@code sys/policies/acl} (vault-api.md §4; Vault's "/sys/policy" and "/sys/policies/" pages). */
abstract class PolicyContract {

    static final String HCL = "path \"secret/data/app/*\" {\n  capabilities = [\"read\"]\n}\n";

    final VaultTarget target;
    VaultHttp vault;
    String name;

    PolicyContract(VaultTarget target) {
        this.target = target;
    }

    @BeforeEach
    void connect() {
        vault = target.http();
        name = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aPolicyWrittenOnTheAclPathReadsBackAsWritten() {
        assertThat(vault.post("sys/policies/acl/" + name, Map.of("policy", HCL)).status()).isEqualTo(204);

        var read = vault.get("sys/policies/acl/" + name);
        var legacy = vault.get("sys/policy/" + name);

        assertThat(read.data().get("name").asText()).isEqualTo(name);
        assertThat(read.data().get("policy").asText()).isEqualTo(HCL);
        assertThat(legacy.data().get("rules").asText()).isEqualTo(HCL);
        assertThat(legacy.json().get("rules").asText()).as("injected at the top level").isEqualTo(HCL);
    }

    @Test
    void listsNameStoredPoliciesThenRootLast() {
        vault.post("sys/policy/" + name, Map.of("policy", HCL));

        var acl = vault.list("sys/policies/acl");
        var legacy = vault.get("sys/policy");

        assertThat(acl.data().get("keys")).extracting(n -> n.asText()).contains("default", name).last().isEqualTo("root");
        assertThat(legacy.data().get("policies")).isEqualTo(legacy.data().get("keys"));
        assertThat(legacy.json().get("policies")).as("injected at the top level").isEqualTo(legacy.data().get("keys"));
    }

    @Test
    void deleteRemovesAPolicyAndIs204EvenWhenMissing() {
        vault.post("sys/policies/acl/" + name, Map.of("policy", HCL));

        assertThat(vault.delete("sys/policies/acl/" + name).status()).isEqualTo(204);
        assertThat(vault.get("sys/policies/acl/" + name).status()).isEqualTo(404);
        assertThat(vault.delete("sys/policies/acl/" + name).status()).isEqualTo(204);
    }

    @Test
    void rootAndDefaultAreProtected() {
        var deleteRoot = vault.delete("sys/policies/acl/root");
        var writeRoot = vault.post("sys/policies/acl/root", Map.of("policy", HCL));
        var deleteDefault = vault.delete("sys/policies/acl/default");

        assertThat(deleteRoot.status()).isEqualTo(400);
        assertThat(deleteRoot.errors().get(0).asText()).isEqualTo("cannot delete \"root\" policy");
        assertThat(writeRoot.errors().get(0).asText()).isEqualTo("cannot update \"root\" policy");
        assertThat(deleteDefault.errors().get(0).asText()).isEqualTo("cannot delete default policy");
    }

    @Test
    void anEmptyOrUnparseablePolicyIsRefused() {
        var empty = vault.post("sys/policies/acl/" + name, Map.of("policy", ""));
        var invalid = vault.post("sys/policies/acl/" + name, Map.of("policy", "path \"x\" { capabilities = [\"fly\"] }"));

        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.errors().get(0).asText()).isEqualTo("'policy' parameter not supplied or empty");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errors().get(0).asText()).startsWith("failed to parse policy");
    }

    @Test
    void aMixedCaseNameIsStoredLowerCaseWithAWarning() {
        var written = vault.post("sys/policies/acl/" + name.toUpperCase(), Map.of("policy", HCL));

        if (target.isOpenBao()) {
            // OpenBao 2.7.2, seen on the real server: stored lower-case without a word.
            assertThat(written.status()).isEqualTo(204);
        } else {
            // Vault: 200 with a warning (vault-api.md §4, vault/logical_system.go).
            assertThat(written.status()).isEqualTo(200);
            assertThat(written.json().get("warnings").get(0).asText()).isEqualTo("policy name was converted to " + name);
        }
        assertThat(vault.get("sys/policies/acl/" + name).status()).isEqualTo(200);
    }
}
