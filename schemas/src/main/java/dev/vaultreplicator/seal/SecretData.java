package dev.vaultreplicator.seal;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The key/value map of one secret version in clear: the UTF-8 JSON object Vault returned, kept as
 * bytes so that any JSON value (numbers, nested objects) survives the trip. It prints as
 * {@code SecretData[redacted, N bytes]}, never its content.
 */
public final class SecretData {

  private final byte[] json;

  private SecretData(byte[] json) {
    this.json = json;
  }

  public static SecretData ofJson(byte[] utf8Json) {
    return new SecretData(requireNonNull(utf8Json, "utf8Json").clone());
  }

  public static SecretData ofJson(String json) {
    return new SecretData(requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8));
  }

  // For the sealer: no copy of data that was just decrypted into a fresh array.
  static SecretData wrap(byte[] json) {
    return new SecretData(json);
  }

  /** A copy of the JSON bytes. */
  public byte[] json() {
    return json.clone();
  }

  byte[] unsafeBytes() {
    return json;
  }

  public int size() {
    return json.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SecretData that && MessageDigest.isEqual(json, that.json);
  }

  // Derived from the length only, so that a hash code never says anything about the content.
  @Override
  public int hashCode() {
    return json.length;
  }

  @Override
  public String toString() {
    return "SecretData[redacted, " + json.length + " bytes]";
  }
}
