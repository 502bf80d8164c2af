package dev.vaultreplicator.testkit.vault.audit;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What every audit device type shares: its options, the salt its HMACs are keyed with, and the
 * common options (vault-api.md §10). A device writes one entry line and says whether it took it.
 */
abstract class AuditDevice implements AutoCloseable {

    private final String type;
    private final Map<String, String> options;
    private final byte[] salt;

    AuditDevice(String type, Map<String, String> options, byte[] salt) {
        this.type = type;
        this.options = Map.copyOf(options);
        this.salt = salt.clone();
    }

    /** A device of the named type; IllegalArgumentException when its options are invalid. */
    static AuditDevice of(String type, String path, Map<String, String> options, byte[] salt) {
        return switch (type) {
            case "socket" -> new SocketAuditDevice(path, options, salt);
            case "file" -> new FileAuditDevice(options, salt);
            default -> throw new UnknownTypeException(type);
        };
    }

    /** Writes one entry line; false when the device could not take it. */
    abstract boolean write(byte[] line);

    @Override
    public abstract void close();

    String type() {
        return type;
    }

    Map<String, String> options() {
        return options;
    }

    byte[] salt() {
        return salt.clone();
    }

    boolean hmacAccessor() {
        return !"false".equals(options.get("hmac_accessor"));
    }

    boolean logRaw() {
        return "true".equals(options.get("log_raw"));
    }

    /** The line as written: the {@code prefix} option, if any, then the entry. */
    byte[] prefixed(byte[] line) {
        String prefix = options.getOrDefault("prefix", "");
        if (prefix.isEmpty()) {
            return line;
        }
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + line.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(line, 0, out, head.length, line.length);
        return out;
    }

    /** {@code hmac-sha256:} and the lowercase hex of HMAC-SHA256 under this device's salt. */
    String hash(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return "hmac-sha256:" + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Vault's answer to an unknown device type. */
    static final class UnknownTypeException extends IllegalArgumentException {
        UnknownTypeException(String type) {
            super("unknown backend type: \"" + type + "\"");
        }
    }
}
