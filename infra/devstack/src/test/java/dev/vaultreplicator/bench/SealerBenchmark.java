package dev.vaultreplicator.bench;

import dev.vaultreplicator.events.SealedData;
import dev.vaultreplicator.seal.Envelope;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.seal.SecretSealer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Seal and open of a {@link TypicalSecret}, against bare AES-256-GCM on the same bytes. */
@State(Scope.Thread)
public class SealerBenchmark {

  private SecretSealer sealer;
  private Envelope envelope;
  private SecretData data;
  private SealedData sealed;

  private SecretKey rawKey;
  private byte[] plaintext;
  private byte[] rawNonce;
  private byte[] rawCiphertext;
  private long counter;

  @Setup
  public void setUp() throws GeneralSecurityException {
    sealer = new SecretSealer(Keyring.generate("bench"));
    envelope = TypicalSecret.ENVELOPE;
    data = TypicalSecret.DATA;
    plaintext = data.json();
    sealed = sealer.seal(envelope, data);

    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    rawKey = new SecretKeySpec(key, "AES");
    rawNonce = new byte[12];
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
    rawCiphertext = cipher.doFinal(plaintext);
  }

  @Benchmark
  public SealedData seal() {
    return sealer.seal(envelope, data);
  }

  @Benchmark
  public SecretData open() {
    return sealer.open(envelope, sealed);
  }

  /** The ceiling: one AES-256-GCM encryption with a counter nonce, no AAD, no envelope. */
  @Benchmark
  public byte[] encryptGcmOnly() throws GeneralSecurityException {
    byte[] nonce = new byte[12];
    long n = ++counter;
    for (int i = 0; i < 8; i++) {
      nonce[i] = (byte) (n >>> (8 * i));
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
    return cipher.doFinal(plaintext);
  }

  /** The ceiling: one AES-256-GCM decryption, no AAD, no envelope. */
  @Benchmark
  public byte[] decryptGcmOnly() throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
    return cipher.doFinal(rawCiphertext);
  }
}
