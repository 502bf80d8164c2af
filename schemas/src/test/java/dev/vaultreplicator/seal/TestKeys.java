package dev.vaultreplicator.seal;

import java.security.SecureRandom;
import java.util.Base64;

/** Key material made fresh by each test run: no key ever lives in the source tree. */
final class TestKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestKeys() {}

  static String randomBase64(int bytes) {
    byte[] key = new byte[bytes];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  static String randomKey() {
    return randomBase64(Keyring.KEY_BYTES);
  }

  /** A keyring over the given (id, base64) pairs, with {@code current} as its current key id. */
  static Keyring keyring(String current, String... idsAndKeys) {
    StringBuilder text = new StringBuilder("current = " + current + "\n");
    for (int i = 0; i < idsAndKeys.length; i += 2) {
      text.append("key.").append(idsAndKeys[i]).append(" = ").append(idsAndKeys[i + 1]).append('\n');
    }
    return KeyringLoader.parse(text.toString(), "test keyring");
  }
}
