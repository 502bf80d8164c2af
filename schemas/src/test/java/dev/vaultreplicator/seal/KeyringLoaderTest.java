package dev.vaultreplicator.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyringLoaderTest {

  private static final Envelope ENVELOPE = new Envelope("east", 1, "secret", "app", 1);

  @TempDir
  Path dir;

  private final String oldKey = TestKeys.randomKey();
  private final String newKey = TestKeys.randomKey();

  @Test
  void shouldLoadAnOwnerOnlyFileWithCommentsBlankLinesAndSeveralKeys() throws IOException {
    Path file = keyringFile("rw-------", """
        # rotated 2026-11
        current = 2026-11

        key.2025-05 = %s
        key.2026-11=%s
        """.formatted(oldKey, newKey));

    Keyring keyring = KeyringLoader.fromFile(file);

    assertThat(keyring.currentKeyId()).isEqualTo("2026-11");
    assertThat(keyring.keyIds()).containsExactly("2025-05", "2026-11");
    assertThat(keyring.toString()).doesNotContain(oldKey).doesNotContain(newKey);
  }

  @Test
  void shouldLoadTheSameKeysFromAFileAndFromTheEnvironment() throws IOException {
    Keyring fromFile = KeyringLoader.fromFile(keyringFile("r--------", "current = a\nkey.a = " + oldKey + "\n"));
    Keyring fromEnvironment = KeyringLoader.fromEnvironment(
        Map.of("VR_KEYS", "current = a; key.a = " + oldKey), "VR_KEYS");
    SecretData data = SecretData.ofJson("{\"x\":1}");

    assertThat(new SecretSealer(fromEnvironment).open(ENVELOPE, new SecretSealer(fromFile).seal(ENVELOPE, data)))
        .isEqualTo(data);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r-----", "rw----r--", "rw--w----", "rw-rw-rw-", "r-----r--"})
  void shouldRefuseAFileThatGroupOrOthersCanAccess(String permissions) throws IOException {
    Path file = keyringFile(permissions, "current = a\nkey.a = " + oldKey + "\n");

    assertRefused(() -> KeyringLoader.fromFile(file),
        "keyring file " + file + " is accessible by group or others (" + permissions + "); allow its owner only: chmod 600 " + file);
  }

  @Test
  void shouldRefuseAMissingFile() {
    Path missing = dir.resolve("nope");

    assertRefused(() -> KeyringLoader.fromFile(missing), "keyring file " + missing + " does not exist");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 16, 31, 33, 64})
  void shouldRefuseAKeyThatIsNotThirtyTwoBytes(int length) {
    String key = TestKeys.randomBase64(length);

    assertRefused(() -> parse("current = a\nkey.a = " + key),
        "test, entry 2: key 'a' is " + length + " bytes; AES-256 needs 32", key);
  }

  @Test
  void shouldRefuseAKeyThatIsNotBase64WithoutQuotingIt() {
    String notBase64 = "zz-not*base64-" + oldKey;

    assertRefused(() -> parse("current = a\nkey.a = " + notBase64), "test, entry 2: key 'a' is not valid base64", notBase64);
  }

  @Test
  void shouldSayWhichLineIsWrong() {
    assertRefused(() -> parse("current = a\n" + oldKey), "test, entry 2: expected 'current = <key id>' or 'key.<key id> = <base64>'", oldKey);
    assertRefused(() -> parse("current = a\nkey.a = " + oldKey + "\nkey.a = " + newKey), "test, entry 3: key id 'a' is defined twice", newKey);
    assertRefused(() -> parse("current = a\ncurrent = b\nkey.a = " + oldKey), "test, entry 2: 'current' is set twice", oldKey);
    assertRefused(() -> parse("current = a\nkey.a b = " + oldKey), "test, entry 2: a key id must match [A-Za-z0-9._-]{1,64}", oldKey);
  }

  @Test
  void shouldRefuseAKeyringWithoutKeysOrWithoutAValidCurrentKey() {
    assertRefused(() -> parse("# nothing here\n"), "test defines no key ('key.<key id> = <base64>')", null);
    assertRefused(() -> parse("key.a = " + oldKey), "test does not say which key is current ('current = <key id>')", oldKey);
    assertRefused(() -> parse("current = b\nkey.a = " + oldKey), "test: current key id 'b' is not defined", oldKey);
  }

  @Test
  void shouldRefuseAnUnsetOrEmptyEnvironmentVariable() {
    assertRefused(() -> KeyringLoader.fromEnvironment(Map.of(), "VR_KEYS"), "environment variable VR_KEYS is not set or empty");
    assertRefused(() -> KeyringLoader.fromEnvironment(Map.of("VR_KEYS", " "), "VR_KEYS"), "environment variable VR_KEYS is not set or empty");
  }

  private static Keyring parse(String text) {
    return KeyringLoader.parse(text, "test");
  }

  private Path keyringFile(String permissions, String text) throws IOException {
    Path file = Files.writeString(dir.resolve("keyring"), text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable load, String message) {
    assertRefused(load, message, null);
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable load, String message, String keyMaterial) {
    var refused = assertThatThrownBy(load).isInstanceOf(KeyringException.class).hasMessage(message);
    if (keyMaterial != null && !keyMaterial.isEmpty()) {
      refused.hasMessageNotContaining(keyMaterial);
    }
  }
}
