package dev.vaultreplicator.capture;

import dev.vaultreplicator.testkit.vault.VaultEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What a user does to the primary in these tests: plain HTTP requests with the root token. */
final class PrimaryVault {

  private final VaultEmulator vault;
  private final HttpClient http = HttpClient.newHttpClient();

  PrimaryVault(VaultEmulator vault) {
    this.vault = vault;
  }

  String address() {
    return vault.address();
  }

  int call(String method, String path, String json) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(vault.address() + "/v1/" + path))
        .header("X-Vault-Token", vault.rootToken())
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

  void write(String path, String dataJson) {
    call("POST", "secret/data/" + path, "{\"data\":" + dataJson + "}");
  }

  void enableAudit(String name, int port) {
    call("PUT", "sys/audit/" + name,
        "{\"type\":\"socket\",\"options\":{\"address\":\"127.0.0.1:" + port + "\",\"socket_type\":\"tcp\"}}");
  }

  void disableAudit(String name) {
    call("DELETE", "sys/audit/" + name, null);
  }
}
