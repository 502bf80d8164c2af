package dev.vaultreplicator.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under a key drawn fresh for each comparison: two sides hashed with it can be
 * compared, and a printed digest says nothing about a secret (a plain hash of a short password
 * can be reversed by guessing).
 */
final class KeyedDigest {

  private final SecretKeySpec key;

  KeyedDigest() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    key = new SecretKeySpec(random, "HmacSHA256");
  }

  String of(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(data), 0, 12);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  String of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }
}
