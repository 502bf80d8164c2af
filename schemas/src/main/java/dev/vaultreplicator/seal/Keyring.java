package dev.vaultreplicator.seal;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys the sealer may use, by key id, one of them current. New data is sealed under the
 * current key; data sealed under any key id the keyring holds still opens, which is how rotation
 * works: add a key, make it current, keep the old ids until nothing sealed under them remains.
 * Load one with {@link KeyringLoader}.
 */
public final class Keyring {

  public static final int KEY_BYTES = 32;
  static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final Map<String, SecretKey> keys;
  private final String currentKeyId;

  Keyring(Map<String, byte[]> keyBytes, String currentKeyId) {
    requireNonNull(currentKeyId, "currentKeyId");
    Map<String, SecretKey> keys = new TreeMap<>();
    keyBytes.forEach((id, bytes) -> keys.put(id, new SecretKeySpec(bytes, "AES")));
    if (!keys.containsKey(currentKeyId)) {
      throw new IllegalArgumentException("current key id '" + currentKeyId + "' is not in the keyring");
    }
    this.keys = Collections.unmodifiableMap(keys);
    this.currentKeyId = currentKeyId;
  }

  /** A keyring with one fresh random key; for tests and for generating a first keyring. */
  public static Keyring generate(String keyId) {
    if (!KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("key id must match " + KEY_ID.pattern());
    }
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    try {
      return new Keyring(Map.of(keyId, key), keyId);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  public String currentKeyId() {
    return currentKeyId;
  }

  public Set<String> keyIds() {
    return keys.keySet();
  }

  SecretKey currentKey() {
    return keys.get(currentKeyId);
  }

  Optional<SecretKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  @Override
  public String toString() {
    return "Keyring[current=" + currentKeyId + ", ids=" + keys.keySet() + "]";
  }
}
