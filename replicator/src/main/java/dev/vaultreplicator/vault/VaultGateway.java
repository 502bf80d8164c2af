package dev.vaultreplicator.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.seal.SecretData;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Everything the replicator reads from a Vault, over HTTP through the Vault Java Driver's
 * {@code Rest} client ({@link VaultHttp}). The driver's {@code logical()} API flattens KV v2 values
 * to strings and has no methods for metadata or policies, so every call goes through {@code Rest}
 * and the JSON is read here. Errors are {@link VaultException}s naming method, path and status
 * only. Writes are {@link VaultWriter}'s.
 */
public final class VaultGateway {

  private static final ObjectMapper JSON = VaultHttp.JSON;

  private final VaultHttp http;

  public VaultGateway(VaultConnection connection, VaultToken token) {
    this.http = new VaultHttp(connection, token);
  }

  /** Plain HTTP or the JVM's default trust, in the root namespace. */
  public VaultGateway(URI address, VaultToken token, Duration timeout) {
    this(VaultConnection.of(address, timeout), token);
  }

  public URI address() {
    return http.connection().address();
  }

  public VaultConnection connection() {
    return http.connection();
  }

  /** Never throws: an unreachable Vault is {@link VaultHealth#UNREACHABLE}. */
  public VaultHealth health() {
    try {
      return VaultHealth.ofStatus(http.exchange(VaultHttp.Method.GET, "sys/health", null, null).status());
    } catch (VaultException e) {
      return VaultHealth.UNREACHABLE;
    }
  }

  /**
   * Seals the Vault: it answers nothing but its health until someone unseals it with its keys.
   * The token needs {@code update} and {@code sudo} on {@code sys/seal}.
   *
   * @throws VaultException with the status when the Vault refuses (403: the token may not seal it)
   */
  public void seal() {
    VaultHttp.Reply reply = http.exchange(VaultHttp.Method.PUT, "sys/seal", null, null);
    if (reply.status() == 403) {
      throw new VaultException("PUT sys/seal: status 403: the token may not seal this Vault (it needs update and "
          + "sudo on sys/seal)", 403, null);
    }
    VaultHttp.expect(VaultHttp.Method.PUT, "sys/seal", reply, 200, 204);
  }

  /** An audited request of the caller's own ({@code lookup-self}): the request id its audit lines carry. */
  public String auditedProbe() {
    VaultHttp.Reply reply = http.exchange(VaultHttp.Method.GET, "auth/token/lookup-self", null, null);
    VaultHttp.expect(VaultHttp.Method.GET, "auth/token/lookup-self", reply, 200);
    return VaultHttp.json(VaultHttp.Method.GET, "auth/token/lookup-self", reply).path("request_id").asText("");
  }

  /** The caller's own token: time left, renewable, expiry. */
  public TokenInfo tokenSelf() {
    JsonNode data = read("auth/token/lookup-self").orElseThrow(() -> missing("auth/token/lookup-self"));
    String expire = data.path("expire_time").asText("");
    return new TokenInfo(Duration.ofSeconds(data.path("ttl").asLong(0)), data.path("renewable").asBoolean(false),
        expire.isEmpty() || expire.equals("null") ? null : Instant.parse(expire), data.path("display_name").asText(""),
        Duration.ofSeconds(data.path("creation_ttl").asLong(0)));
  }

  /** KV mounts by name without the trailing slash, with their engine version (1 or 2). */
  public Map<String, Integer> kvMounts() {
    JsonNode data = read("sys/mounts").orElseThrow(() -> missing("sys/mounts"));
    Map<String, Integer> mounts = new LinkedHashMap<>();
    data.fields().forEachRemaining(entry -> {
      String type = entry.getValue().path("type").asText();
      if (type.equals("kv") || type.equals("generic")) {
        int version = entry.getValue().path("options").path("version").asText("1").equals("2") ? 2 : 1;
        mounts.put(stripSlash(entry.getKey()), version);
      }
    });
    return mounts;
  }

  /** The immediate children of a folder ("" for the root); folders end in '/'. Empty when none. */
  public List<String> list(String folderPath) {
    List<String> keys = new ArrayList<>();
    read(folderPath.endsWith("/") ? folderPath : folderPath + "/", "list=true")
        .ifPresent(data -> data.path("keys").forEach(key -> keys.add(key.asText())));
    return keys;
  }

  /** Every key under a KV mount (engine version 1 or 2), by a breadth-first walk of LIST. */
  public List<String> keys(String mount, int version) {
    List<String> keys = new ArrayList<>();
    ArrayDeque<String> folders = new ArrayDeque<>();
    folders.add("");
    String listRoot = version == 2 ? mount + "/metadata/" : mount + "/";
    while (!folders.isEmpty()) {
      String folder = folders.poll();
      for (String child : list(listRoot + folder)) {
        (child.endsWith("/") ? folders : keys).add(folder + child);
      }
    }
    return keys;
  }

  public Optional<KvMetadata> kvMetadata(String mount, String key) {
    return read(mount + "/metadata/" + key).map(VaultGateway::metadata);
  }

  /** A KV v2 version's data, or empty when it is deleted, destroyed, pruned or never existed. */
  public Optional<SecretData> kvVersion(String mount, String key, long version) {
    return read(mount + "/data/" + key, "version=" + version)
        .map(data -> data.get("data"))
        .filter(JsonNode::isObject)
        .map(VaultGateway::secretData);
  }

  /** A readable KV v2 version's data and its own metadata, from one read; empty when deleted, destroyed or absent. */
  public Optional<VersionRead> kvVersionRead(String mount, String key, long version) {
    return read(mount + "/data/" + key, "version=" + version)
        .filter(data -> data.path("data").isObject())
        .map(data -> {
          JsonNode meta = data.path("metadata");
          return new VersionRead(secretData(data.get("data")), new KvVersion(meta.path("version").asLong(version),
              instant(meta.path("created_time")), instant(meta.path("deletion_time")),
              meta.path("destroyed").asBoolean(false)));
        });
  }

  /** @param version the version's metadata as the data read returned it */
  public record VersionRead(SecretData data, KvVersion version) {}

  /** A KV v2 mount's {@code max_versions} (0: the engine's default); empty when this token may not read it. */
  public OptionalInt kvMountMaxVersions(String mount) {
    try {
      return read(mount + "/config").map(data -> OptionalInt.of(data.path("max_versions").asInt(0)))
          .orElse(OptionalInt.empty());
    } catch (VaultException e) {
      if (e.status() == 403) {
        return OptionalInt.empty();
      }
      throw e;
    }
  }

  public Optional<SecretData> kv1(String mount, String key) {
    return read(mount + "/" + key).filter(JsonNode::isObject).map(VaultGateway::secretData);
  }

  /** ACL policy names, as Vault lists them (including {@code root}). */
  public List<String> policyNames() {
    return list("sys/policies/acl");
  }

  /** An ACL policy's rules, or empty when it does not exist. */
  public Optional<String> policy(String name) {
    return read("sys/policies/acl/" + name).map(data -> data.path("policy").asText());
  }

  private Optional<JsonNode> read(String path) {
    return http.read(path, null);
  }

  private Optional<JsonNode> read(String path, String query) {
    return http.read(path, query);
  }

  private static KvMetadata metadata(JsonNode data) {
    TreeMap<Long, KvVersion> versions = new TreeMap<>();
    data.path("versions").fields().forEachRemaining(entry -> {
      long version = Long.parseLong(entry.getKey());
      JsonNode v = entry.getValue();
      versions.put(version, new KvVersion(version, instant(v.path("created_time")),
          instant(v.path("deletion_time")), v.path("destroyed").asBoolean(false)));
    });
    Map<String, String> custom = new HashMap<>();
    data.path("custom_metadata").fields().forEachRemaining(e -> custom.put(e.getKey(), e.getValue().asText()));
    KvSettings settings = new KvSettings(custom, data.path("max_versions").asInt(0),
        data.path("cas_required").asBoolean(false), data.path("delete_version_after").asText("0s"));
    return new KvMetadata(data.path("current_version").asLong(0), instant(data.path("created_time")),
        instant(data.path("updated_time")), settings, versions);
  }

  private static SecretData secretData(JsonNode object) {
    try {
      return SecretData.ofJson(JSON.writeValueAsBytes(object));
    } catch (IOException e) {
      throw new VaultException("cannot re-encode secret data (" + e.getClass().getSimpleName() + ")", 200, null);
    }
  }

  private static Instant instant(JsonNode text) {
    String value = text.asText("");
    return value.isEmpty() ? null : Instant.parse(value);
  }

  private static String stripSlash(String mount) {
    return mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
  }

  private static VaultException missing(String path) {
    return new VaultException("GET " + path + ": not found", 404, null);
  }
}
