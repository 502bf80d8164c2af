package dev.vaultreplicator.testkit.vault;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vaultreplicator.testkit.vault.core.Json;
import dev.vaultreplicator.testkit.vault.core.Mount;
import dev.vaultreplicator.testkit.vault.core.VaultRequest;
import dev.vaultreplicator.testkit.vault.core.VaultResponse;
import dev.vaultreplicator.testkit.vault.sys.SystemBackend;
import dev.vaultreplicator.testkit.vault.token.Token;

/**
 * The journal line for a change that succeeded, and its replay: the one entry the request changed
 * (a KV key, a policy, a token, the mount table, the audit devices) as it is after the change.
 * {@code null} means the request changed nothing that {@code --data-dir} keeps (a seal, an audit
 * hash): a snapshot holds the mounts and their engines, the policies, the tokens and the audit
 * devices, and each of those has a record here.
 */
final class ChangeRecords {

    private ChangeRecords() {
    }

    static ObjectNode of(EmulatedVault vault, VaultRequest request, Optional<Mount> mount, VaultResponse response,
                         Token caller) {
        String path = request.path();
        if (mount.isPresent()) {
            return Json.object().put("mount", mount.get().path())
                    .set("change", mount.get().backend().changeRecord(mount.get().relative(path)));
        }
        String policy = SystemBackend.policyName(path);
        if (policy != null) {
            String name = policy.toLowerCase(java.util.Locale.ROOT);
            return Json.object().put("policy", name).put("text", vault.policies.text(name).orElse(null));
        }
        if (path.startsWith("sys/mounts/")) {
            return mountTable(vault);
        }
        if (path.startsWith("sys/audit/")) {
            return audit(vault);
        }
        if (path.startsWith("auth/token/")) {
            String id = response.auth() != null ? response.auth().path("client_token").asText(caller.id()) : caller.id();
            return Json.object().put("token", id).set("state", vault.tokens.snapshotOne(id));
        }
        return null;
    }

    static ObjectNode audit(EmulatedVault vault) {
        return Json.object().set("audit", vault.audit.snapshot());
    }

    static void replay(EmulatedVault vault, JsonNode record) {
        if (record.has("mount")) {
            vault.mounts.get(record.get("mount").asText()).ifPresent(mount ->
                    mount.backend().restoreChange(record.get("change")));
        } else if (record.has("policy")) {
            JsonNode text = record.get("text");
            vault.policies.restoreOne(record.get("policy").asText(), text == null || text.isNull() ? null : text.asText());
        } else if (record.has("mount_table")) {
            restoreMountTable(vault, record.get("mount_table"));
        } else if (record.has("token")) {
            vault.tokens.restoreOne(record.get("token").asText(), record.get("state"));
        } else if (record.has("audit")) {
            vault.audit.restore(record.get("audit"));
        }
    }

    private static ObjectNode mountTable(EmulatedVault vault) {
        ObjectNode record = Json.object();
        ArrayNode table = record.putArray("mount_table");
        for (Mount mount : vault.mounts.all()) {
            table.add(StateFile.describe(mount));
        }
        return record;
    }

    /** Mounts no longer listed are gone; a mount listed anew starts empty, as it did when it was made. */
    private static void restoreMountTable(EmulatedVault vault, JsonNode table) {
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (JsonNode entry : table) {
            listed.add(entry.get("path").asText());
            if (vault.mounts.get(entry.get("path").asText()).isEmpty()) {
                vault.mounts.add(StateFile.mount(entry, vault.flavour));
            }
        }
        for (Mount mount : vault.mounts.all()) {
            if (!listed.contains(mount.path())) {
                vault.mounts.remove(mount.path());
            }
        }
    }
}
