package dev.vaultreplicator.testkit.vault.token;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import dev.vaultreplicator.testkit.vault.core.Json;

/** Tokens by id. Expired tokens are treated as absent and swept when next looked up. */
public final class TokenStore {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConcurrentHashMap<String, Token> tokens = new ConcurrentHashMap<>();
    private final String servicePrefix;

    /** @param servicePrefix a new service token's prefix (Vault {@code hvs.}, OpenBao {@code s.}) */
    public TokenStore(String servicePrefix) {
        this.servicePrefix = servicePrefix;
    }

    public Token createRoot(String id) {
        Instant now = Instant.now();
        Token root = new Token(id, randomId(24), java.util.List.of("root"), null, "root", now, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, false, 0, true, "auth/token/root", now, null);
        tokens.put(id, root);
        return root;
    }

    public Token add(Token token) {
        tokens.put(token.id(), token);
        return token;
    }

    public Optional<Token> lookup(String id, Instant now) {
        Token token = tokens.get(id);
        if (token != null && token.isExpiredAt(now)) {
            tokens.remove(id, token);
            return Optional.empty();
        }
        return Optional.ofNullable(token);
    }

    public Token renew(Token token, Duration ttl, Instant now) {
        Token renewed = token.renewed(ttl, now);
        tokens.put(token.id(), renewed);
        return renewed;
    }

    public String newServiceTokenId() {
        return servicePrefix + randomId(24);
    }

    public static String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    public JsonNode snapshot() {
        return Json.tree(Map.copyOf(tokens));
    }

    /** One token as it is now, or null when it is gone. */
    public JsonNode snapshotOne(String id) {
        Token token = tokens.get(id);
        return token == null ? null : Json.tree(token);
    }

    public void restoreOne(String id, JsonNode token) {
        if (token == null || token.isNull()) {
            tokens.remove(id);
        } else {
            tokens.put(id, Json.MAPPER.convertValue(token, Token.class));
        }
    }

    public void restore(JsonNode snapshot) {
        Map<String, Token> restored = Json.MAPPER.convertValue(snapshot, new TypeReference<>() { });
        tokens.putAll(restored);
    }
}
