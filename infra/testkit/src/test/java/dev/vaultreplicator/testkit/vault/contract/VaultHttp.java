package dev.vaultreplicator.testkit.vault.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.vaultreplicator.testkit.vault.core.Json;

/** Raw HTTP to a Vault, so the contract can pin status codes and JSON shapes exactly. */
record VaultHttp(String address, String token) {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, JsonNode json, String body) {

        JsonNode data() {
            return json.path("data");
        }

        JsonNode errors() {
            return json.path("errors");
        }
    }

    VaultHttp as(String otherToken) {
        return new VaultHttp(address, otherToken);
    }

    Reply get(String path) {
        return call("GET", path, null);
    }

    Reply post(String path, Object body) {
        return call("POST", path, body);
    }

    Reply delete(String path) {
        return call("DELETE", path, null);
    }

    Reply list(String path) {
        return call("LIST", path, null);
    }

    Reply call(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        String text = body == null ? null : body instanceof String s ? s : new String(Json.bytes(body),
                java.nio.charset.StandardCharsets.UTF_8);
        request.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(text));
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? MissingNode.getInstance()
                    : Json.MAPPER.readTree(response.body());
            return new Reply(response.statusCode(), json, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
