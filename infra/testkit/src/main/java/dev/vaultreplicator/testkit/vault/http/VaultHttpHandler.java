package dev.vaultreplicator.testkit.vault.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.vaultreplicator.testkit.vault.core.Json;
import dev.vaultreplicator.testkit.vault.core.Operation;
import dev.vaultreplicator.testkit.vault.core.VaultError;
import dev.vaultreplicator.testkit.vault.core.VaultRequest;
import dev.vaultreplicator.testkit.vault.core.VaultResponse;

/** Vault's HTTP layer: methods to operations, body and query to request data, responses to Vault's JSON. */
public final class VaultHttpHandler implements HttpHandler {

    private static final long MAX_BODY = 32L * 1024 * 1024;

    private final BiFunction<String, VaultRequest, VaultResponse> vault;

    private final boolean mountTypeInEnvelope;

    public VaultHttpHandler(BiFunction<String, VaultRequest, VaultResponse> vault, boolean mountTypeInEnvelope) {
        this.mountTypeInEnvelope = mountTypeInEnvelope;
        this.vault = vault;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            try {
                VaultRequest request = parse(exchange, method);
                write(exchange, method, vault.apply(method, request), request.id());
            } catch (VaultError e) {
                writeError(exchange, e);
            } catch (RuntimeException e) {
                // An emulator bug must not pass for a Vault answer; the class and place are enough to find it.
                System.err.println("vault emulator: " + method + " failed: " + e.getClass().getName() + " at "
                        + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
                writeError(exchange, new VaultError(500, "internal error"));
            }
        }
    }

    private static VaultRequest parse(HttpExchange exchange, String method) throws IOException {
        String rawPath = exchange.getRequestURI().getRawPath();
        if (!rawPath.startsWith("/v1/")) {
            throw VaultError.notFound();
        }
        String path = URLDecoder.decode(rawPath.substring(4).replace("+", "%2B"), StandardCharsets.UTF_8);
        ObjectNode query = query(exchange.getRequestURI().getRawQuery());
        boolean listQuery = query.path("list").asBoolean(false);
        query.remove("list");
        Operation operation = switch (method) {
            case "GET", "HEAD" -> listQuery ? Operation.LIST : Operation.READ;
            case "LIST" -> Operation.LIST;
            case "POST", "PUT" -> Operation.CREATE;
            case "DELETE" -> Operation.DELETE;
            case "PATCH" -> Operation.PATCH;
            default -> throw new VaultError(405, List.of());
        };
        ObjectNode data = query;
        if (operation == Operation.LIST && !path.endsWith("/")) {
            path = path + "/";
        }
        if (operation == Operation.CREATE || operation == Operation.PATCH) {
            if (path.endsWith("/")) {
                throw VaultError.badRequest("cannot write to a path ending in '/'");
            }
            if (operation == Operation.PATCH && !String.valueOf(exchange.getRequestHeaders()
                    .getFirst("Content-Type")).startsWith("application/merge-patch+json")) {
                throw new VaultError(415, "PATCH requires Content-Type of application/merge-patch+json, provided "
                        + exchange.getRequestHeaders().getFirst("Content-Type"));
            }
            data = body(exchange.getRequestBody());
        }
        var remote = exchange.getRemoteAddress();
        return VaultRequest.of(operation, path, data, token(exchange),
                remote.getAddress().getHostAddress(), remote.getPort());
    }

    private static ObjectNode body(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new VaultError(413, "http: request body too large");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return Json.object();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw VaultError.badRequest("error parsing JSON");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw VaultError.badRequest("error parsing JSON");
        }
    }

    private static ObjectNode query(String raw) {
        ObjectNode data = Json.object();
        if (raw == null || raw.isEmpty()) {
            return data;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            data.put(key, value);
        }
        return data;
    }

    /** {@code X-Vault-Token} first, else an {@code Authorization: Bearer} header. */
    private static String token(HttpExchange exchange) {
        String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
        if (token != null && !token.isEmpty()) {
            return token;
        }
        List<String> authorization = exchange.getRequestHeaders().get("Authorization");
        if (authorization != null) {
            for (String value : authorization) {
                if (value.startsWith("Bearer ")) {
                    return value.substring("Bearer ".length()).trim();
                }
            }
        }
        return null;
    }

    /** @param requestId the id the audit entries carry too, as Vault's {@code request_id} does */
    private void write(HttpExchange exchange, String method, VaultResponse response, String requestId)
            throws IOException {
        headers(exchange);
        if (response.kind() == VaultResponse.Kind.EMPTY) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        Object body = response.kind() == VaultResponse.Kind.BARE ? response.data() : envelope(response, requestId);
        // The 404 that carries an envelope is written by RespondWithStatusCode, without the newline.
        boolean newline = !(response.status() == 404 && response.kind() == VaultResponse.Kind.ENVELOPE);
        send(exchange, method, response.status(), newline ? Json.line(body) : Json.bytes(body));
    }

    private Map<String, Object> envelope(VaultResponse response, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_id", requestId);
        body.put("lease_id", "");
        body.put("renewable", false);
        body.put("lease_duration", response.leaseDuration());
        body.put("data", response.data());
        body.put("wrap_info", null);
        body.put("warnings", response.warnings().isEmpty() ? null : response.warnings());
        body.put("auth", response.auth());
        if (mountTypeInEnvelope) {
            body.put("mount_type", response.mountType() == null ? "" : response.mountType());
        }
        if (response.injected() && response.data() != null) {
            response.data().fields().forEachRemaining(e -> body.putIfAbsent(e.getKey(), e.getValue()));
        }
        return body;
    }

    private static void writeError(HttpExchange exchange, VaultError error) throws IOException {
        headers(exchange);
        send(exchange, exchange.getRequestMethod(), error.status(),
                Json.line(Map.of("errors", error.errors())));
    }

    private static void send(HttpExchange exchange, String method, int status, byte[] bytes) throws IOException {
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void headers(HttpExchange exchange) {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Content-Type", "application/json");
    }
}
