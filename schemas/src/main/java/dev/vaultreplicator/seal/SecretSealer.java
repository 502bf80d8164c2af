package dev.vaultreplicator.seal;

import static dev.vaultreplicator.seal.SealException.Reason.AUTHENTICATION_FAILED;
import static dev.vaultreplicator.seal.SealException.Reason.MALFORMED;
import static dev.vaultreplicator.seal.SealException.Reason.UNKNOWN_KEY_ID;
import static java.util.Objects.requireNonNull;

import dev.vaultreplicator.events.SealedData;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals secret data with AES-256-GCM under the keyring's current key: a fresh random 96-bit nonce
 * per seal, a 128-bit tag, and the {@link Envelope} as additional authenticated data. Random
 * nonces keep one key safe for about 2^32 seals; rotate keys long before that. Thread-safe.
 */
public final class SecretSealer {

  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final Keyring keyring;
  private final SecureRandom random = new SecureRandom();

  public SecretSealer(Keyring keyring) {
    this.keyring = requireNonNull(keyring, "keyring");
  }

  /** The key new seals are made under; data sealed under any other key is due for re-sealing. */
  public String currentKeyId() {
    return keyring.currentKeyId();
  }

  public SealedData seal(Envelope envelope, SecretData data) {
    requireNonNull(envelope, "envelope");
    requireNonNull(data, "data");
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] ciphertext;
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keyring.currentKey(), nonce, envelope);
      ciphertext = cipher.doFinal(data.unsafeBytes());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot seal with " + TRANSFORMATION, e);
    }
    return SealedData.newBuilder()
        .setKeyId(keyring.currentKeyId())
        .setNonce(ByteBuffer.wrap(nonce))
        .setCiphertext(ByteBuffer.wrap(ciphertext))
        .build();
  }

  public SecretData open(Envelope envelope, SealedData sealed) {
    requireNonNull(envelope, "envelope");
    requireNonNull(sealed, "sealed");
    String keyId = sealed.getKeyId();
    SecretKey key = keyring.key(keyId).orElseThrow(() -> new SealException(
        UNKNOWN_KEY_ID, "sealed under key id '" + printable(keyId) + "', which the keyring does not hold "
            + keyring.keyIds(), null));
    byte[] nonce = bytes(sealed.getNonce());
    byte[] ciphertext = bytes(sealed.getCiphertext());
    if (nonce.length != NONCE_BYTES) {
      throw new SealException(MALFORMED, "nonce is " + nonce.length + " bytes, expected " + NONCE_BYTES, null);
    }
    if (ciphertext.length < TAG_BITS / 8) {
      throw new SealException(MALFORMED, "ciphertext is " + ciphertext.length + " bytes, shorter than its tag", null);
    }
    try {
      return SecretData.wrap(cipher(Cipher.DECRYPT_MODE, key, nonce, envelope).doFinal(ciphertext));
    } catch (AEADBadTagException e) {
      throw new SealException(AUTHENTICATION_FAILED, "tag did not verify under key id '" + keyId
          + "': wrong key, altered ciphertext or nonce, or sealed for another envelope", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot open " + TRANSFORMATION, e);
    }
  }

  private static Cipher cipher(int mode, SecretKey key, byte[] nonce, Envelope envelope)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(envelope.additionalAuthenticatedData());
    return cipher;
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }

  // A key id from the wire may be anything; keep log lines one line and short.
  private static String printable(String keyId) {
    String shown = keyId.length() > 64 ? keyId.substring(0, 64) + "..." : keyId;
    return shown.replaceAll("[^\\x20-\\x7e]", "?");
  }

  @Override
  public String toString() {
    return "SecretSealer[" + keyring + "]";
  }
}
