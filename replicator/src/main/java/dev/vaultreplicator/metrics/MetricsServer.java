package dev.vaultreplicator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves a Prometheus registry's scrape at {@code /metrics}, and the component's health at
 * {@code /health/live} and {@code /health/ready} for probes and the image's health check. The
 * JDK's HTTP server is enough for three read-only routes and adds no dependency.
 */
public final class MetricsServer implements AutoCloseable {

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * @param host the address to bind, e.g. 0.0.0.0 for every interface
   * @param port 0 for a free port
   * @param health the component's health now; asked at each request
   */
  public static MetricsServer start(PrometheusMeterRegistry registry, String host, int port, Supplier<Health> health)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext("/metrics", exchange ->
        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext("/health/live", exchange -> {
      Health now = health.get();
      sendHealth(exchange, now.live(), now);
    });
    server.createContext("/health/ready", exchange -> {
      Health now = health.get();
      sendHealth(exchange, now.ready(), now);
    });
    server.start();
    return new MetricsServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void sendHealth(HttpExchange exchange, boolean up, Health health) throws IOException {
    send(exchange, up ? 200 : 503, "application/json", "{\"status\":\"" + health.label() + "\"}");
  }

  private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
