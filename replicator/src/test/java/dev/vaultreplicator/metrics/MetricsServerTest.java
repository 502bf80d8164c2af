package dev.vaultreplicator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.capture.Capture;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The probes and the image's health check read these answers: live unless failed, ready only while running. */
class MetricsServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldAnswerHealthFromTheComponentsStateAndServeTheScrape() throws Exception {
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    registry.counter("vault.capture.events.published").increment();
    AtomicReference<Health> health = new AtomicReference<>(Health.STARTING);
    try (MetricsServer server = MetricsServer.start(registry, "127.0.0.1", 0, health::get)) {
      assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> starting = get(server, "/health/ready");
      assertThat(starting.statusCode()).isEqualTo(503);
      assertThat(starting.body()).isEqualTo("{\"status\":\"starting\"}");

      health.set(Health.of(Capture.State.RUNNING));
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(server, "/metrics").body()).contains("vault_capture_events_published_total 1.0");

      health.set(Health.of(Apply.State.FAILED));
      assertThat(get(server, "/health/live").statusCode()).isEqualTo(503);
      assertThat(get(server, "/health/ready").body()).isEqualTo("{\"status\":\"failed\"}");
    }
  }

  @Test
  void shouldListenOnTheConfiguredAddressOnly() throws Exception {
    try (MetricsServer server = MetricsServer.start(MetricsServer.newRegistry(), "127.0.0.1", 0, () -> Health.RUNNING);
        Socket elsewhere = new Socket()) {
      // Linux answers all of 127/8 on loopback: a listener on every interface would take this connection too.
      assertThatThrownBy(() -> elsewhere.connect(new InetSocketAddress("127.0.0.2", server.port()), 2_000))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void shouldHaveAHealthForEveryStateOfCaptureAndApply() {
    assertThat(Capture.State.values()).allSatisfy(state -> assertThat(Health.of(state).name()).isEqualTo(state.name()));
    assertThat(Apply.State.values()).allSatisfy(state -> assertThat(Health.of(state).name()).isEqualTo(state.name()));
  }

  private HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
