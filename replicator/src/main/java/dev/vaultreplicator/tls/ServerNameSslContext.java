package dev.vaultreplicator.tls;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An initialised context whose engines take a configured name for the server's, as Vault's
 * {@code tls_server_name} does: Java's HttpClient checks the certificate against the peer host it
 * opens the engine with, which is otherwise always the address's host. That name is also the SNI
 * when the address is an IP address; for a DNS address HttpClient sends the address's host.
 */
final class ServerNameSslContext extends SSLContext {

  ServerNameSslContext(SSLContext delegate, String serverName) {
    super(new Spi(delegate, serverName), delegate.getProvider(), delegate.getProtocol());
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;
    private final String serverName;

    Spi(SSLContext delegate, String serverName) {
      this.delegate = delegate;
      this.serverName = serverName;
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return delegate.createSSLEngine(serverName, port);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return delegate.createSSLEngine();
    }

    @Override
    protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
      throw new IllegalStateException("initialised already");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return delegate.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return delegate.getServerSocketFactory();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return delegate.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }
}
