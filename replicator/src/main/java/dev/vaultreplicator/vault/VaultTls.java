package dev.vaultreplicator.vault;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import nl.altindag.ssl.SSLFactory;
import nl.altindag.ssl.pem.util.PemUtils;

/**
 * The TLS context of an https Vault address, from PEM files as Vault's own clients take them
 * ({@code VAULT_CACERT}, {@code VAULT_CLIENT_CERT}, {@code VAULT_CLIENT_KEY}, {@code VAULT_TLS_SERVER_NAME}).
 * The driver's {@code SslConfig} is not used: it trusts only the first certificate of a bundle and
 * reads only unencrypted RSA keys in PKCS#8.
 */
public final class VaultTls {

  private VaultTls() {}

  /** Every certificate in a PEM bundle, trusted in place of the JVM's default authorities. */
  public static X509ExtendedTrustManager trust(Path caBundle) {
    return PemUtils.loadTrustMaterial(caBundle);
  }

  /** A client certificate chain and its private key (PKCS#1, PKCS#8 or EC, unencrypted). */
  public static X509ExtendedKeyManager identity(Path certificateChain, Path privateKey) {
    return PemUtils.loadIdentityMaterial(certificateChain, privateKey);
  }

  /**
   * @param trust {@code null} for the JVM's default authorities
   * @param identity {@code null} for no client certificate
   * @param serverName {@code null} to check the certificate against the address's host
   */
  public static SSLContext context(X509ExtendedTrustManager trust, X509ExtendedKeyManager identity, String serverName) {
    SSLFactory.Builder factory = SSLFactory.builder();
    if (trust == null) {
      factory.withDefaultTrustMaterial();
    } else {
      factory.withTrustMaterial(trust);
    }
    if (identity != null) {
      factory.withIdentityMaterial(identity);
    }
    SSLContext context = factory.build().getSslContext();
    return serverName == null ? context : new ServerNameSslContext(context, serverName);
  }
}
