package dev.vaultreplicator.testkit.vault.openbao;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vaultreplicator.testkit.vault.core.Json;

/**
 * What an operator does to a new server over its HTTP API, before anything else may use it:
 * initialise it (one key share), unseal it, wait until it is active, and mount KV v2 at
 * {@code secret/} as {@code -dev} mode would. Also seal, unseal and list the audit devices later.
 */
public final class OpenBaoAdmin {

    private static final Duration STEP = Duration.ofMillis(50);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String address;

    public OpenBaoAdmin(String address) {
        this.address = address;
    }

    /**
     * Initialises the server, keeping its keys in {@code directory}, or loads the keys kept there by
     * an earlier start; then unseals it and waits until it is active. A fresh server gets
     * {@code secret/} as KV v2.
     */
    public OpenBaoKeys bringUp(Path directory, BooleanSupplier alive, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode status = await(deadline, alive, "answer sys/seal-status", () -> get("sys/seal-status", null));
        OpenBaoKeys keys;
        boolean fresh = !status.get("initialized").asBoolean();
        if (fresh) {
            Response init = send("PUT", "sys/init", null, "{\"secret_shares\":1,\"secret_threshold\":1}");
            if (init.status() != 200) {
                throw new IllegalStateException("sys/init answered " + init.status() + ": " + init.body());
            }
            keys = OpenBaoKeys.fromInitResponse(Json.parse(init.body()));
            keys.save(directory);
        } else {
            keys = OpenBaoKeys.load(directory);
        }
        unseal(keys.unsealKey());
        await(deadline, alive, "become active", () -> {
            Response health = get("sys/health", null);
            return health.status() == 200 ? health : null;
        });
        if (fresh) {
            Response mounted = send("POST", "sys/mounts/secret", keys.rootToken(),
                    "{\"type\":\"kv\",\"options\":{\"version\":\"2\"},\"description\":\"key/value secret storage\"}");
            if (mounted.status() != 204) {
                throw new IllegalStateException("mounting secret/ answered " + mounted.status() + ": " + mounted.body());
            }
        }
        return keys;
    }

    /**
     * Makes sure a root-policy token with this id exists (an orphan that never expires), so that
     * several servers can share one well-known token, as dev servers do with {@code -dev-root-token-id}.
     */
    public void ensureToken(String rootToken, String id) {
        if (get("auth/token/lookup-self", id).status() == 200) {
            return;
        }
        Response created = send("POST", "auth/token/create", rootToken, Json.object().put("id", id)
                .put("no_parent", true).put("display_name", "devstack")
                .set("policies", Json.tree(java.util.List.of("root"))).toString());
        if (created.status() != 200) {
            throw new IllegalStateException("creating the shared token answered " + created.status() + ": " + created.body());
        }
    }

    public void unseal(String key) {
        Response unsealed = send("PUT", "sys/unseal", null, Json.object().put("key", key).toString());
        if (unsealed.status() != 200 || Json.parse(unsealed.body()).path("sealed").asBoolean(true)) {
            throw new IllegalStateException("sys/unseal answered " + unsealed.status() + ": " + unsealed.body());
        }
    }

    public void seal(String rootToken) {
        Response sealed = send("PUT", "sys/seal", rootToken, null);
        if (sealed.status() != 204) {
            throw new IllegalStateException("sys/seal answered " + sealed.status() + ": " + sealed.body());
        }
    }

    /** The paths of the enabled audit devices, each ending in {@code /}. */
    public List<String> auditDevices(String rootToken) {
        Response listed = get("sys/audit", rootToken);
        if (listed.status() != 200) {
            throw new IllegalStateException("sys/audit answered " + listed.status() + ": " + listed.body());
        }
        List<String> paths = new ArrayList<>();
        Json.parse(listed.body()).path("data").fieldNames().forEachRemaining(paths::add);
        return paths;
    }

    /** Waits until the paths of the enabled audit devices satisfy {@code wanted}. */
    public void awaitAuditDevices(String rootToken, java.util.function.Predicate<Set<String>> wanted, Duration timeout,
                                  BooleanSupplier alive) {
        await(Instant.now().plus(timeout), alive, "list the declared audit devices",
                () -> wanted.test(Set.copyOf(auditDevices(rootToken))) ? new Response(200, "{}") : null);
    }

    /** The version the server reports, e.g. {@code 2.7.2}. */
    public String version() {
        return Json.parse(get("sys/seal-status", null).body()).path("version").asText();
    }

    private JsonNode await(Instant deadline, BooleanSupplier alive, String what, java.util.concurrent.Callable<Response> step) {
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("the server exited before it could " + what);
            }
            try {
                Response answer = step.call();
                if (answer != null && answer.status() < 500) {
                    return Json.parse(answer.body());
                }
                last = answer == null ? "not yet" : answer.status() + " " + answer.body();
            } catch (Exception e) {
                last = e.getMessage();
            }
            pause();
        }
        throw new IllegalStateException("the server at " + address + " did not " + what + " in time (" + last + ")");
    }

    private Response get(String path, String token) {
        return send("GET", path, token, null);
    }

    private Response send(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(answer.statusCode(), answer.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot reach OpenBao at " + address + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(STEP.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private record Response(int status, String body) {
    }
}
