package dev.vaultreplicator.vault;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jopenlibs.vault.rest.Rest;
import io.github.jopenlibs.vault.rest.RestException;
import io.github.jopenlibs.vault.rest.RestResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The HTTP exchange under {@link VaultGateway} and {@link VaultWriter}: one request through the
 * driver's {@link Rest} client, its status checked. Errors name method, path and status only, never
 * a body, since request and response bodies may hold secret values.
 */
final class VaultHttp {

  static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Paths of the server as a whole, which a namespace does not have: OpenBao answers them with 400
   * "operation unavailable in namespaces", so they are sent in the root namespace whatever the
   * connection's namespace.
   */
  private static final Set<String> ROOT_ONLY = Set.of("sys/health", "sys/seal");

  enum Method { GET, POST, PUT, DELETE }

  /** A reply whose status the caller decides about; the body is only read as JSON, never quoted. */
  record Reply(int status, byte[] body) {
    boolean bodyMentions(String text) {
      return new String(body, StandardCharsets.UTF_8).contains(text);
    }
  }

  private final VaultConnection connection;
  private final URI address;
  private final VaultToken token;
  private final int timeoutSeconds;
  private final HttpClient http;

  VaultHttp(VaultConnection connection, VaultToken token) {
    this.connection = requireNonNull(connection, "connection");
    this.address = connection.address();
    this.token = requireNonNull(token, "token");
    this.timeoutSeconds = (int) Math.max(1, connection.timeout().toSeconds());
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(connection.timeout());
    if (connection.tls() != null) {
      client.sslContext(connection.tls());
    }
    this.http = client.build();
  }

  VaultConnection connection() {
    return connection;
  }

  /**
   * Sends a request; no response at all (refused, reset, timed out) is a status-0 {@link VaultException}.
   * A 403 is sent once more when the token's owner has a new token for it (the old one expired).
   */
  Reply exchange(Method method, String path, String query, byte[] body) {
    String sent = token.get();
    Reply reply = send(method, path, query, body, sent);
    if (reply.status() == 403) {
      Optional<String> replacement = token.afterRefusal(sent);
      if (replacement.isPresent()) {
        return send(method, path, query, body, replacement.get());
      }
    }
    return reply;
  }

  private Reply send(Method method, String path, String query, byte[] body, String sent) {
    Rest rest = request(path, query, sent);
    if (body != null) {
      rest.body(body);
    }
    try {
      RestResponse response = switch (method) {
        case GET -> rest.get();
        case POST -> rest.post();
        case PUT -> rest.put();
        case DELETE -> rest.delete();
      };
      return new Reply(response.getStatus(), response.getBody() == null ? new byte[0] : response.getBody());
    } catch (RestException e) {
      throw new VaultException(method + " " + path + ": no response (" + why(e) + ")", 0, e);
    }
  }

  /** GET a logical path; the {@code data} member of the reply, or empty on 404. */
  Optional<JsonNode> read(String path, String query) {
    Reply reply = exchange(Method.GET, path, query, null);
    if (reply.status() == 404) {
      return Optional.empty();
    }
    expect(Method.GET, path, reply, 200);
    return Optional.of(json(Method.GET, path, reply).path("data"));
  }

  /** Sends a change and insists on a 200 or 204. */
  Reply write(Method method, String path, Object body) {
    Reply reply = exchange(method, path, null, body == null ? null : bytes(body));
    expect(method, path, reply, 200, 204);
    return reply;
  }

  static JsonNode json(Method method, String path, Reply reply) {
    try {
      return JSON.readTree(reply.body());
    } catch (IOException e) {
      // Jackson's message may quote the body, which may hold a secret: keep only the type.
      throw new VaultException(method + " " + path + ": unreadable JSON (" + e.getClass().getSimpleName() + ")",
          reply.status(), null);
    }
  }

  static void expect(Method method, String path, Reply reply, int... accepted) {
    for (int status : accepted) {
      if (reply.status() == status) {
        return;
      }
    }
    if (reply.status() == 403) {
      throw new VaultException(method + " " + path + ": status 403: permission denied: the token's policies do not "
          + "grant " + capability(method, path) + " on " + path + " (infra/deploy/vault-policies has what each component "
          + "needs)", 403, null);
    }
    throw new VaultException(method + " " + path + ": status " + reply.status(), reply.status(), null);
  }

  /** The ACL capability a request needs: a GET of a folder is a list, a POST or PUT a create or an update. */
  static String capability(Method method, String path) {
    return switch (method) {
      case GET -> path.endsWith("/") ? "list" : "read";
      case POST, PUT -> "create or update";
      case DELETE -> "delete";
    };
  }

  static byte[] bytes(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new VaultException("cannot encode a request body (" + e.getClass().getSimpleName() + ")", 400, null);
    }
  }

  /** @param sent the token; empty for a login, which needs none */
  private Rest request(String path, String query, String sent) {
    try {
      URI uri = new URI(address.getScheme(), address.getRawAuthority(), "/v1/" + path, query, null);
      Rest rest = new Rest(http).url(uri.toASCIIString())
          .header("X-Vault-Request", "true")
          .header("Content-Type", "application/json")
          .readTimeoutSeconds(timeoutSeconds);
      if (!sent.isEmpty()) {
        rest.header("X-Vault-Token", sent);
      }
      boolean inNamespace = !connection.namespace().isEmpty() && !ROOT_ONLY.contains(path);
      return inNamespace ? rest.header("X-Vault-Namespace", connection.namespace()) : rest;
    } catch (URISyntaxException e) {
      throw new VaultException("invalid path " + path + ": " + e.getReason(), 400, null);
    }
  }

  /**
   * The root cause's type; for a failed TLS handshake, the JSSE's own words too (an untrusted
   * authority, a name the certificate lacks, a client certificate refused): they name
   * certificates and hosts, never a body.
   */
  private static String why(Throwable e) {
    Throwable root = e;
    String tls = null;
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (tls == null && cause instanceof SSLException && cause.getMessage() != null) {
        tls = cause.getMessage();
      }
      root = cause;
    }
    return tls == null ? root.getClass().getSimpleName()
        : "TLS handshake failed, " + root.getClass().getSimpleName() + ": " + tls;
  }
}
