package dev.vaultreplicator.testkit.vault.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KV v2 at {@code secret/} (vault-api.md §1; Vault's "KV secrets engine - version 2 (API)" page). */
abstract class KvV2Contract {

    /** RFC 3339 in UTC as Go's RFC3339Nano writes it: no trailing zeros in the fraction. */
    private static final String GO_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d*[1-9])?Z";

    final VaultTarget target;
    VaultHttp vault;
    String key;

    KvV2Contract(VaultTarget target) {
        this.target = target;
    }

    @BeforeEach
    void connect() {
        vault = target.http();
        key = "contract/" + UUID.randomUUID();
    }

    @Test
    void everyWriteMakesTheNextVersionEvenWithIdenticalData() {
        var first = vault.post("secret/data/" + key, Map.of("data", Map.of("password", "one")));
        var second = vault.post("secret/data/" + key, Map.of("data", Map.of("password", "one")));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.data().get("version").asInt()).isEqualTo(1);
        assertThat(second.data().get("version").asInt()).isEqualTo(2);
        assertThat(second.data().get("created_time").asText()).matches(GO_TIME);
        assertThat(second.data().get("deletion_time").asText()).isEmpty();
        assertThat(second.data().get("destroyed").asBoolean()).isFalse();
        assertThat(second.data().get("custom_metadata").isNull()).isTrue();
        if (target.isOpenBao()) {
            // OpenBao 2.7.2, seen on the real server: the envelope has no mount_type.
            assertThat(second.json().has("mount_type")).isFalse();
        } else {
            // Vault 1.15 added mount_type to the envelope (vault-api.md §3, hashicorp/vault PR 23047).
            assertThat(second.json().get("mount_type").asText()).isEqualTo("kv");
        }
    }

    @Test
    void readsTheLatestOrAGivenVersion() {
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1")));
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "2", "n", 7)));

        var latest = vault.get("secret/data/" + key);
        var first = vault.get("secret/data/" + key + "?version=1");

        assertThat(latest.data().get("data").toString()).isEqualTo("{\"n\":7,\"v\":\"2\"}");
        assertThat(latest.data().at("/metadata/version").asInt()).isEqualTo(2);
        assertThat(first.data().at("/data/v").asText()).isEqualTo("1");
        assertThat(first.data().at("/metadata/version").asInt()).isEqualTo(1);
    }

    @Test
    void missingKeysAndVersionsAre404WithAnEmptyErrorList() {
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1")));

        var missingKey = vault.get("secret/data/" + key + "-absent");
        var missingVersion = vault.get("secret/data/" + key + "?version=9");

        assertThat(missingKey.status()).isEqualTo(404);
        assertThat(missingKey.body().trim()).isEqualTo("{\"errors\":[]}");
        assertThat(missingVersion.status()).isEqualTo(404);
        assertThat(missingVersion.errors()).isEmpty();
    }

    @Test
    void checkAndSetQuotesTheCurrentVersionAndZeroMeansAbsent() {
        assertThat(vault.post("secret/data/" + key, Map.of("options", Map.of("cas", 0), "data", Map.of("v", "1")))
                .status()).isEqualTo(200);

        var stale = vault.post("secret/data/" + key, Map.of("options", Map.of("cas", 0), "data", Map.of("v", "2")));
        var current = vault.post("secret/data/" + key, Map.of("options", Map.of("cas", "1"), "data", Map.of("v", "2")));

        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.errors().get(0).asText()).isEqualTo("check-and-set parameter did not match the current version");
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.data().get("version").asInt()).isEqualTo(2);
    }

    @Test
    void casRequiredOnTheKeyRefusesAWriteWithoutCas() {
        assertThat(vault.post("secret/metadata/" + key, Map.of("cas_required", true)).status()).isEqualTo(204);

        var refused = vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors().get(0).asText()).isEqualTo("check-and-set parameter required for this call");
        assertThat(vault.get("secret/metadata/" + key).data().get("current_version").asInt()).isZero();
    }

    @Test
    void softDeleteHidesTheDataButKeepsTheMetadataAndUndeleteRestoresIt() {
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1")));

        assertThat(vault.delete("secret/data/" + key).status()).isEqualTo(204);
        var deleted = vault.get("secret/data/" + key);

        assertThat(deleted.status()).isEqualTo(404);
        assertThat(deleted.json().has("errors")).isFalse();
        assertThat(deleted.data().get("data").isNull()).isTrue();
        assertThat(deleted.data().at("/metadata/deletion_time").asText()).matches(GO_TIME);

        assertThat(vault.post("secret/undelete/" + key, Map.of("versions", List.of(1))).status()).isEqualTo(204);
        var restored = vault.get("secret/data/" + key);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.data().at("/data/v").asText()).isEqualTo("1");
        assertThat(restored.data().at("/metadata/deletion_time").asText()).isEmpty();
    }

    @Test
    void aDeletedVersionStillCountsForCheckAndSet() {
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1")));
        vault.delete("secret/data/" + key);

        var absentCas = vault.post("secret/data/" + key, Map.of("options", Map.of("cas", 0), "data", Map.of("v", "2")));
        var currentCas = vault.post("secret/data/" + key, Map.of("options", Map.of("cas", 1), "data", Map.of("v", "2")));

        assertThat(absentCas.status()).isEqualTo(400);
        assertThat(currentCas.data().get("version").asInt()).isEqualTo(2);
    }

    @Test
    void destroyDropsTheDataForGoodAndUndeleteCannotBringItBack() {
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1")));
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "2")));

        assertThat(vault.post("secret/destroy/" + key, Map.of("versions", List.of(1))).status()).isEqualTo(204);
        vault.post("secret/undelete/" + key, Map.of("versions", List.of(1)));
        var destroyed = vault.get("secret/data/" + key + "?version=1");
        var metadata = vault.get("secret/metadata/" + key).data();

        assertThat(destroyed.status()).isEqualTo(404);
        assertThat(destroyed.data().at("/metadata/destroyed").asBoolean()).isTrue();
        assertThat(metadata.at("/versions/1/destroyed").asBoolean()).isTrue();
        assertThat(metadata.at("/versions/2/destroyed").asBoolean()).isFalse();
        assertThat(metadata.get("current_version").asInt()).isEqualTo(2);
    }

    @Test
    void versionListsMustNotBeEmpty() {
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1")));

        var delete = vault.post("secret/delete/" + key, Map.of("versions", List.of()));
        var destroy = vault.post("secret/destroy/" + key, Map.of("versions", List.of()));

        assertThat(delete.status()).isEqualTo(400);
        assertThat(delete.errors().get(0).asText()).isEqualTo("No version number provided");
        assertThat(destroy.errors().get(0).asText()).isEqualTo("no version number provided");
    }

    @Test
    void deletingSpecificVersionsLeavesTheOthersReadable() {
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1")));
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "2")));

        assertThat(vault.post("secret/delete/" + key, Map.of("versions", List.of(1))).status()).isEqualTo(204);

        assertThat(vault.get("secret/data/" + key + "?version=1").status()).isEqualTo(404);
        assertThat(vault.get("secret/data/" + key).status()).isEqualTo(200);
        assertThat(vault.get("secret/metadata/" + key).data().at("/versions/1/deletion_time").asText()).matches(GO_TIME);
    }

    @Test
    void metadataCarriesSettingsAndCustomMetadata() {
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1")));
        var write = vault.post("secret/metadata/" + key, Map.of("max_versions", 5,
                "delete_version_after", "3h", "custom_metadata", Map.of("owner", "platform")));

        var metadata = vault.get("secret/metadata/" + key).data();

        assertThat(write.status()).isEqualTo(204);
        assertThat(metadata.get("max_versions").asInt()).isEqualTo(5);
        assertThat(metadata.get("delete_version_after").asText()).isEqualTo("3h0m0s");
        assertThat(metadata.at("/custom_metadata/owner").asText()).isEqualTo("platform");
        assertThat(metadata.get("cas_required").asBoolean()).isFalse();
        assertThat(metadata.get("oldest_version").asInt()).isZero();
        if (target.isOpenBao()) {
            // OpenBao 2.7.2, seen on the real server: a metadata write is a metadata version of its
            // own and moves updated_time past the last data write.
            assertThat(metadata.get("current_metadata_version").asInt()).isEqualTo(1);
            assertThat(metadata.get("metadata_cas_required").asBoolean()).isFalse();
            assertThat(metadata.get("updated_time").asText())
                    .isGreaterThan(metadata.at("/versions/1/created_time").asText());
        } else {
            // Vault: updated_time is the latest version's created_time (vault-api.md §1).
            assertThat(metadata.has("current_metadata_version")).isFalse();
            assertThat(metadata.get("updated_time").asText()).isEqualTo(metadata.at("/versions/1/created_time").asText());
        }
        assertThat(vault.get("secret/data/" + key).data().at("/metadata/custom_metadata/owner").asText())
                .isEqualTo("platform");
    }

    @Test
    void maxVersionsPrunesTheOldestOnTheNextWrite() {
        vault.post("secret/metadata/" + key, Map.of("max_versions", 2));
        for (int i = 1; i <= 3; i++) {
            vault.post("secret/data/" + key, Map.of("data", Map.of("v", Integer.toString(i))));
        }

        var metadata = vault.get("secret/metadata/" + key).data();

        assertThat(metadata.get("versions").fieldNames()).toIterable().containsExactly("2", "3");
        assertThat(metadata.get("oldest_version").asInt()).isEqualTo(2);
        assertThat(vault.get("secret/data/" + key + "?version=1").status()).isEqualTo(404);
    }

    @Test
    void deletingMetadataRemovesEveryVersionAndTheKeyIsAbsentAgain() {
        vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1")));

        assertThat(vault.delete("secret/metadata/" + key).status()).isEqualTo(204);

        assertThat(vault.get("secret/metadata/" + key).status()).isEqualTo(404);
        assertThat(vault.get("secret/data/" + key).status()).isEqualTo(404);
        var recreated = vault.post("secret/data/" + key, Map.of("options", Map.of("cas", 0), "data", Map.of("v", "x")));
        assertThat(recreated.data().get("version").asInt()).isEqualTo(1);
        assertThat(vault.delete("secret/metadata/" + key + "-never").status()).isEqualTo(204);
    }

    @Test
    void listShowsImmediateChildrenSortedWithFoldersSuffixed() {
        String folder = key + "/";
        vault.post("secret/data/" + folder + "b", Map.of("data", Map.of("v", "1")));
        vault.post("secret/data/" + folder + "a/deep", Map.of("data", Map.of("v", "1")));
        vault.post("secret/data/" + folder + "a", Map.of("data", Map.of("v", "1")));

        var listed = vault.list("secret/metadata/" + folder);
        var viaQuery = vault.get("secret/metadata/" + folder + "?list=true");
        var empty = vault.list("secret/metadata/" + folder + "nothing/");

        assertThat(listed.data().get("keys")).extracting(n -> n.asText()).containsExactly("a", "a/", "b");
        assertThat(viaQuery.data().get("keys")).isEqualTo(listed.data().get("keys"));
        assertThat(empty.status()).isEqualTo(404);
    }

    @Test
    void aWriteWithoutDataIsRefusedAndUnknownFieldsOnlyWarn() {
        var noData = vault.post("secret/data/" + key, Map.of("options", Map.of()));
        var extra = vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1"), "zeta", 1, "alpha", 2));

        assertThat(noData.status()).isEqualTo(400);
        assertThat(noData.errors().get(0).asText()).isEqualTo("no data provided");
        assertThat(extra.status()).isEqualTo(200);
        assertThat(extra.json().get("warnings").get(0).asText())
                .isEqualTo("Endpoint ignored these unrecognized parameters: [alpha zeta]");
    }

    @Test
    void theMountConfigAppliesToEveryKey() {
        String mount = "contract-kv2-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(vault.post("sys/mounts/" + mount, Map.of("type", "kv", "options", Map.of("version", "2")))
                .status()).isEqualTo(204);
        assertThat(vault.post(mount + "/config", Map.of("cas_required", true, "max_versions", 3)).status())
                .isEqualTo(204);

        var config = vault.get(mount + "/config");
        var refused = vault.post(mount + "/data/k", Map.of("data", Map.of("v", "1")));

        assertThat(config.data().get("cas_required").asBoolean()).isTrue();
        assertThat(config.data().get("max_versions").asInt()).isEqualTo(3);
        assertThat(config.data().get("delete_version_after").asText()).isEqualTo("0s");
        assertThat(refused.status()).isEqualTo(400);
        vault.delete("sys/mounts/" + mount);
    }
}
