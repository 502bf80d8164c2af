package dev.vaultreplicator.testkit.vault.kv;

import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vaultreplicator.testkit.vault.core.Json;
import dev.vaultreplicator.testkit.vault.core.VaultError;

/** LIST as Vault answers it: the immediate children of a folder, sorted, sub-folders ending in {@code /}. */
final class Children {

    private Children() {
    }

    static ObjectNode listBody(NavigableSet<String> names, String folder) {
        Set<String> children = new TreeSet<>();
        for (String name : names.tailSet(folder, true)) {
            if (!name.startsWith(folder)) {
                break;
            }
            String rest = name.substring(folder.length());
            int slash = rest.indexOf('/');
            children.add(slash < 0 ? rest : rest.substring(0, slash + 1));
        }
        children.remove("");
        if (children.isEmpty()) {
            throw VaultError.notFound();
        }
        ObjectNode body = Json.object();
        ArrayNode keys = body.putArray("keys");
        children.forEach(keys::add);
        return body;
    }
}
