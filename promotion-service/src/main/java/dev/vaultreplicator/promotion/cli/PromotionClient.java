package dev.vaultreplicator.promotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/** The promotion service's API as the CLI calls it: a bearer token, JSON both ways. */
final class PromotionClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A promotion may wait on the veto hook and on comparing differences again. */
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** An answer: its status and its body (a missing node when the body is not JSON). */
  record Answer(int status, JsonNode body, String text) { }

  /** The service could not be asked: no connection, or no answer in time. */
  static final class UnreachableException extends Exception {
    UnreachableException(String message) {
      super(message, null, false, false);
    }
  }

  private final URI base;
  private final String token;
  private final HttpClient http;

  /** @param tls trust for an https service; {@code null} for the JVM's authorities */
  PromotionClient(URI base, String token, SSLContext tls) {
    this.base = base;
    this.token = token;
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (tls != null) {
      client.sslContext(tls);
    }
    this.http = client.build();
  }

  Answer get(String path) throws UnreachableException {
    return send(request(path).GET());
  }

  Answer post(String path, JsonNode body) throws UnreachableException {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString())));
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
  }

  private Answer send(HttpRequest.Builder request) throws UnreachableException {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (SSLException e) {
      throw new UnreachableException("TLS handshake with " + base + " failed (" + rootMessage(e) + "): is --ca-file "
          + "or PROMOTION_CA_FILE the authority of the service's certificate?");
    } catch (IOException e) {
      throw new UnreachableException("cannot reach the promotion service at " + base + " ("
          + e.getClass().getSimpleName() + "); is PROMOTION_URL right?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted");
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = MissingNode.getInstance();
    }
    return new Answer(response.statusCode(), body == null ? MissingNode.getInstance() : body, response.body());
  }
}
