package dev.vaultreplicator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.testkit.vault.AuditDeclaration;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import dev.vaultreplicator.testkit.vault.VaultServer;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.verify.Verifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * What a user does to a Vault in these tests: plain HTTP requests with the root token, to a real
 * OpenBao or the emulator ({@link VaultKind}); and what an operator does to its process: stop,
 * kill and start it again on the same address and data, seal and unseal it.
 */
public final class TestVault implements AutoCloseable {

  private final HttpClient http = HttpClient.newHttpClient();
  private final java.util.Map<String, AuditDeclaration> auditDevices = new java.util.LinkedHashMap<>();
  /** Starts the emulator again on the same port, token and data, with these audit devices; null if it cannot. */
  private final java.util.function.Function<List<AuditDeclaration>, VaultEmulator> restart;
  private VaultServer vault;
  /** Sent as X-Vault-Namespace with every request; null for the root namespace. */
  private final String namespace;

  /** A Vault that is not started again: an emulator in memory, or any OpenBao (it starts itself again). */
  public TestVault(VaultServer vault) {
    this(vault, null);
  }

  private TestVault(VaultServer vault, String namespace) {
    this.vault = vault;
    this.restart = null;
    this.namespace = namespace;
  }

  /** An emulator with a data directory, which {@code restart} starts again on it. */
  TestVault(java.util.function.Function<List<AuditDeclaration>, VaultEmulator> restart) {
    this.restart = restart;
    this.vault = restart.apply(List.of());
    this.namespace = null;
  }

  /**
   * The same server, every request made in {@code namespace} (which must exist). For requests only:
   * audit devices, stop and start belong to the server, through the view it came from.
   */
  public TestVault inNamespace(String namespace) {
    return new TestVault(vault, namespace);
  }

  public String address() {
    return vault.address();
  }

  public String rootToken() {
    return vault.rootToken();
  }

  /** SIGTERM for OpenBao; the emulator closes. The address and data stay for {@link #start()}. */
  public void stop() {
    if (vault instanceof OpenBaoServer openBao) {
      openBao.stop();
    } else {
      vault.close();
    }
  }

  /** SIGKILL for OpenBao; the emulator closes without anything more to flush than a SIGKILL leaves. */
  public void kill() {
    if (vault instanceof OpenBaoServer openBao) {
      openBao.kill();
    } else {
      vault.close();
    }
  }

  /** Starts the stopped Vault again on the same address and data, unsealed, its audit devices declared. */
  public void start() {
    if (vault instanceof OpenBaoServer openBao) {
      openBao.start();
    } else if (restart != null) {
      vault = restart.apply(List.copyOf(auditDevices.values()));
    } else {
      throw new IllegalStateException("this Vault keeps no data to start again on: use VaultKind.startPersistent()");
    }
  }

  public void seal() {
    call("PUT", "sys/seal", null);
  }

  public void unseal() {
    call("PUT", "sys/unseal", "{\"key\":\"" + vault.unsealKey() + "\"}");
  }

  @Override
  public void close() {
    vault.close();
  }

  /** {@code replicator verify} of this Vault (the primary) against a standby, both with their root tokens. */
  public Verifier.Report compareWith(TestVault standby, List<String> mounts) {
    Duration timeout = Duration.ofSeconds(5);
    return Verifier.compare(new VaultGateway(URI.create(address()), this::rootToken, timeout),
        new VaultGateway(URI.create(standby.address()), standby::rootToken, timeout), mounts);
  }

  public int call(String method, String path, String json) {
    HttpRequest request = request(path)
        .header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status >= 300) {
        throw new AssertionError(method + " " + path + " answered " + status);
      }
      return status;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A token holding only the named policy, as an operator would make for capture. */
  public String createToken(String policy) {
    HttpRequest request = request("auth/token/create")
        .POST(HttpRequest.BodyPublishers.ofString("{\"policies\":[\"" + policy + "\"],\"ttl\":\"1h\"}"))
        .build();
    try {
      String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
      return new ObjectMapper().readTree(body).at("/auth/client_token").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** POST with the root token, insisting on a 2xx: the whole reply (for what a write answers, e.g. a secret ID). */
  public JsonNode post(String path, String json) {
    HttpRequest request = request(path)
        .POST(HttpRequest.BodyPublishers.ofString(json == null ? "{}" : json)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new AssertionError("POST " + path + " answered " + response.statusCode());
      }
      return response.body().isEmpty() ? new ObjectMapper().createObjectNode()
          : new ObjectMapper().readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** GET a path: the reply's {@code data}, or null on 404. */
  public JsonNode read(String path) {
    HttpRequest request = request(path).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404) {
        return null;
      }
      if (response.statusCode() != 200) {
        throw new AssertionError("GET " + path + " answered " + response.statusCode());
      }
      return new ObjectMapper().readTree(response.body()).path("data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public void write(String path, String dataJson) {
    call("POST", "secret/data/" + path, "{\"data\":" + dataJson + "}");
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(vault.address() + "/v1/" + path))
        .header("X-Vault-Token", vault.rootToken());
    return namespace == null ? request : request.header("X-Vault-Namespace", namespace);
  }

  /** Declares a socket audit device feeding capture, as an operator declares it in OpenBao's config file. */
  public void enableAudit(String name, int port) {
    auditDevices.put(name, AuditDeclaration.socket(name, "127.0.0.1:" + port));
    vault.declareAuditDevices(List.copyOf(auditDevices.values()));
  }

  public void disableAudit(String name) {
    auditDevices.remove(name);
    vault.declareAuditDevices(List.copyOf(auditDevices.values()));
  }
}
