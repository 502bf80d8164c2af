package dev.vaultreplicator.testkit.vault.core;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Sealed or not, and the single unseal key (threshold 1 of 1, as a dev server). */
public final class SealState {

    private final byte[] unsealKey;
    private volatile boolean sealed;

    public SealState(byte[] unsealKey) {
        this.unsealKey = unsealKey.clone();
    }

    public static SealState withRandomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new SealState(key);
    }

    public boolean isSealed() {
        return sealed;
    }

    public void seal() {
        sealed = true;
    }

    public String unsealKeyBase64() {
        return Base64.getEncoder().encodeToString(unsealKey);
    }

    /**
     * @throws VaultError 400 when the share is not hex or base64, or is not the key
     */
    public void unseal(String share) {
        byte[] given = decode(share);
        if (!MessageDigest.isEqual(given, unsealKey)) {
            throw VaultError.badRequest("Error unsealing: cipher: message authentication failed");
        }
        sealed = false;
    }

    private static byte[] decode(String share) {
        try {
            return HexFormat.of().parseHex(share);
        } catch (IllegalArgumentException notHex) {
            try {
                return Base64.getDecoder().decode(share);
            } catch (IllegalArgumentException notBase64) {
                throw VaultError.badRequest("'key' must be a valid hex or base64 string");
            }
        }
    }
}
