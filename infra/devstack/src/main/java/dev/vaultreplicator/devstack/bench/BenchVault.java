package dev.vaultreplicator.devstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's client of one Vault: KV v2 writes of generated values on one mount,
 * and the server's own record of when each version was created. It is the load and the stopwatch,
 * not part of the pipeline, so it talks plain HTTP (the JDK's client) and keeps nothing else.
 */
public final class BenchVault {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The devstack's replicated KV v2 mount. */
  public static final String DEVSTACK_MOUNT = "secret";

  private final HttpClient http;
  private final URI address;
  private final String token;
  private final String mount;
  private final byte[] value;

  /** @param valueBytes the size of each written secret's JSON, about */
  public BenchVault(HttpClient http, URI address, String token, String mount, int valueBytes) {
    this.http = http;
    this.address = address;
    this.token = token;
    this.mount = mount;
    this.value = ("{\"data\":{\"password\":\"" + "x".repeat(Math.max(1, valueBytes - 25)) + "\"}}").getBytes();
  }

  public URI address() {
    return address;
  }

  /** Writes a new version of {@code key}; completes true on 200. */
  public CompletableFuture<Boolean> writeAsync(String key) {
    return http.sendAsync(request("data/" + key).POST(HttpRequest.BodyPublishers.ofByteArray(value)).build(),
        HttpResponse.BodyHandlers.discarding()).handle((response, error) -> error == null && response.statusCode() == 200);
  }

  public boolean write(String key) {
    return writeAsync(key).join();
  }

  /** Each version's {@code created_time} as the server recorded it; empty when the key is not there. */
  public Optional<List<Instant>> createdTimes(String key) {
    return get("metadata/" + key).map(data -> {
      List<Instant> times = new ArrayList<>();
      for (int version = 1; version <= data.path("current_version").asInt(); version++) {
        JsonNode entry = data.path("versions").path(Integer.toString(version));
        times.add(entry.isMissingNode() ? null : Instant.parse(entry.path("created_time").asText()));
      }
      return times;
    });
  }

  public int currentVersion(String key) {
    return get("metadata/" + key).map(data -> data.path("current_version").asInt()).orElse(0);
  }

  /** How many keys are directly under {@code folder} (one LIST). */
  public int count(String folder) {
    return list(folder).size();
  }

  /**
   * Deletes every key under {@code folder}, all versions and metadata, {@code clients} at a time;
   * returns how many could not be deleted.
   */
  public int deleteTree(String folder, int clients) throws InterruptedException {
    List<String> keys = new ArrayList<>();
    collectKeys(folder, keys);
    Semaphore inFlight = new Semaphore(clients);
    AtomicInteger failed = new AtomicInteger();
    for (String key : keys) {
      inFlight.acquire();
      http.sendAsync(request("metadata/" + key).DELETE().build(), HttpResponse.BodyHandlers.discarding())
          .whenComplete((response, error) -> {
            if (error != null || response.statusCode() != 204) {
              failed.incrementAndGet();
            }
            inFlight.release();
          });
    }
    inFlight.acquire(clients);
    return failed.get();
  }

  private void collectKeys(String folder, List<String> keys) {
    for (String entry : list(folder)) {
      if (entry.endsWith("/")) {
        collectKeys(folder + "/" + entry.substring(0, entry.length() - 1), keys);
      } else {
        keys.add(folder + "/" + entry);
      }
    }
  }

  /** The names directly under {@code folder}, sub-folders ending in a slash; none when it is not there. */
  private List<String> list(String folder) {
    try {
      HttpResponse<byte[]> answer = http.send(request("metadata/" + folder + "/")
          .method("LIST", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
      List<String> names = new ArrayList<>();
      if (answer.statusCode() == 200) {
        JSON.readTree(answer.body()).path("data").path("keys").forEach(name -> names.add(name.asText()));
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("LIST " + folder + " on " + address, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private Optional<JsonNode> get(String route) {
    try {
      HttpResponse<byte[]> answer = http.send(request(route).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      return answer.statusCode() == 200 ? Optional.of(JSON.readTree(answer.body()).path("data")) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + route + " on " + address, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpRequest.Builder request(String route) {
    return HttpRequest.newBuilder(address.resolve("/v1/" + mount + "/" + route)).timeout(Duration.ofSeconds(30))
        .header("X-Vault-Token", token);
  }
}
