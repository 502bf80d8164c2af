package dev.vaultreplicator.promotion.http;

import static java.util.Objects.requireNonNull;

import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Where the API listens: an address, a port (0 picks one), and the TLS context that makes it an
 * https listener, or {@code null} for plain HTTP (which the config allows on loopback only).
 */
public record Listener(String host, int port, SSLContext tls) {

  public Listener {
    requireNonNull(host, "host");
  }

  /** The Jetty connector of an https listener, for Javalin's {@code config.jetty.addConnector}. */
  BiFunction<Server, HttpConfiguration, Connector> httpsConnector() {
    return (server, http) -> {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setSslContext(tls);
      HttpConfiguration https = new HttpConfiguration(http);
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // Callers may reach the service by a name its certificate lacks (a load balancer's, an IP
      // address): checking the certificate is the client's job, not a reason to refuse the request.
      secure.setSniHostCheck(false);
      https.addCustomizer(secure);
      ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
          new HttpConnectionFactory(https));
      connector.setHost(host);
      connector.setPort(port);
      return connector;
    };
  }
}
