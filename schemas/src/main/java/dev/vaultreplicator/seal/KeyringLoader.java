package dev.vaultreplicator.seal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a keyring from a file or an environment variable. Both hold the same text:
 *
 * <pre>
 * # comments and blank lines are ignored; entries are separated by newlines or ';'
 * current = 2026-11
 * key.2026-11 = &lt;base64 of 32 random bytes, e.g. from: openssl rand -base64 32&gt;
 * key.2025-05 = &lt;base64&gt;
 * </pre>
 *
 * A file readable or writable by group or others is refused, as ssh refuses such a private key.
 * Every error names the source and the line, never key material: this parser is written here
 * rather than borrowed because general parsers quote the offending input in their errors.
 */
public final class KeyringLoader {

  /** The environment variable the replicator reads a keyring from when no keyring file is configured. */
  public static final String ENVIRONMENT_VARIABLE = "VAULT_REPLICATOR_KEYRING";


  private KeyringLoader() {}

  public static Keyring fromFile(Path file) {
    requireNonNull(file, "file");
    String source = "keyring file " + file;
    refuseSharedAccess(file, source);
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), source);
    } catch (NoSuchFileException e) {
      throw new KeyringException(source + " does not exist");
    } catch (IOException e) {
      throw new KeyringException(source + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
  }

  public static Keyring fromEnvironment(Map<String, String> environment, String variable) {
    requireNonNull(environment, "environment");
    requireNonNull(variable, "variable");
    String text = environment.get(variable);
    if (text == null || text.isBlank()) {
      throw new KeyringException("environment variable " + variable + " is not set or empty");
    }
    return parse(text, "environment variable " + variable);
  }

  static Keyring parse(String text, String source) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    String current = null;
    String[] entries = text.split("[\\n;]", -1);
    try {
      for (int i = 0; i < entries.length; i++) {
        String entry = entries[i].strip();
        if (entry.isEmpty() || entry.startsWith("#")) {
          continue;
        }
        String where = source + ", entry " + (i + 1);
        int equals = entry.indexOf('=');
        String name = equals < 0 ? entry : entry.substring(0, equals).strip();
        String value = equals < 0 ? "" : entry.substring(equals + 1).strip();
        if (name.equals("current") && equals > 0) {
          if (current != null) {
            throw new KeyringException(where + ": 'current' is set twice");
          }
          current = value;
        } else if (name.startsWith("key.") && equals > 0) {
          String id = keyId(name.substring(4), where);
          if (keys.containsKey(id)) {
            throw new KeyringException(where + ": key id '" + id + "' is defined twice");
          }
          keys.put(id, keyBytes(value, id, where));
        } else {
          throw new KeyringException(where + ": expected 'current = <key id>' or 'key.<key id> = <base64>'");
        }
      }
      if (keys.isEmpty()) {
        throw new KeyringException(source + " defines no key ('key.<key id> = <base64>')");
      }
      if (current == null) {
        throw new KeyringException(source + " does not say which key is current ('current = <key id>')");
      }
      if (!keys.containsKey(current)) {
        throw new KeyringException(source + ": current key id '" + keyId(current, source) + "' is not defined");
      }
      return new Keyring(keys, current);
    } finally {
      keys.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
    }
  }

  private static String keyId(String id, String where) {
    if (!Keyring.KEY_ID.matcher(id).matches()) {
      throw new KeyringException(where + ": a key id must match " + Keyring.KEY_ID.pattern());
    }
    return id;
  }

  private static byte[] keyBytes(String base64, String id, String where) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes the offending character: a piece of the key. Not passed on.
      throw new KeyringException(where + ": key '" + id + "' is not valid base64");
    }
    if (bytes.length != Keyring.KEY_BYTES) {
      int length = bytes.length;
      Arrays.fill(bytes, (byte) 0);
      throw new KeyringException(
          where + ": key '" + id + "' is " + length + " bytes; AES-256 needs " + Keyring.KEY_BYTES);
    }
    return bytes;
  }

  private static void refuseSharedAccess(Path file, String source) {
    OwnerOnlyFiles.problem(file, source).ifPresent(problem -> {
      throw new KeyringException(problem);
    });
  }

}
