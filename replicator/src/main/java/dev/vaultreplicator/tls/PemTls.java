package dev.vaultreplicator.tls;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import nl.altindag.ssl.SSLFactory;
import nl.altindag.ssl.pem.util.PemUtils;

/**
 * TLS contexts from PEM files (or a key store), through sslcontext-kickstart: a client's, as
 * Vault's own clients take theirs ({@code VAULT_CACERT}, {@code VAULT_CLIENT_CERT},
 * {@code VAULT_CLIENT_KEY}, {@code VAULT_TLS_SERVER_NAME}), and a server's. The Vault driver's
 * {@code SslConfig} is not used: it trusts only the first certificate of a bundle and reads only
 * unencrypted RSA keys in PKCS#8.
 */
public final class PemTls {

  private PemTls() {}

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
  public static SSLContext client(X509ExtendedTrustManager trust, X509ExtendedKeyManager identity, String serverName) {
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

  /** A key store's identity (PKCS#12 or JKS, by its content), whose entries share its password. */
  public static X509ExtendedKeyManager identity(Path keyStore, char[] password) {
    return SSLFactory.builder().withIdentityMaterial(keyStore, password).build().getKeyManager()
        .orElseThrow(() -> new IllegalArgumentException("no key in " + keyStore));
  }

  /** A server's context: it presents this identity and asks its clients for none. */
  public static SSLContext server(X509ExtendedKeyManager identity) {
    return SSLFactory.builder().withIdentityMaterial(identity).build().getSslContext();
  }
}
