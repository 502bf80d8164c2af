package dev.vaultreplicator.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.vault.VaultHttp.Method;
import dev.vaultreplicator.vault.VaultHttp.Reply;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Every change apply makes to a standby Vault: KV v2 versions (always with check-and-set),
 * metadata, soft deletes, undeletes, destroys and metadata deletes; KV v1 keys; ACL policies. Each
 * call is one HTTP request; a failure is a {@link VaultException} whose status the one classifier
 * ({@link VaultFailure}) sorts into retriable and permanent.
 */
public final class VaultWriter {

  private static final String CAS_MISMATCH = "check-and-set parameter did not match";

  private final VaultHttp http;

  public VaultWriter(VaultConnection connection, VaultToken token) {
    this.http = new VaultHttp(connection, token);
  }

  /** Plain HTTP or the JVM's default trust, in the root namespace. */
  public VaultWriter(URI address, VaultToken token, Duration timeout) {
    this(VaultConnection.of(address, timeout), token);
  }

  /**
   * Writes a new KV v2 version only if the key's current version is {@code cas} (0: only if the
   * key is absent).
   *
   * @return the version Vault created, or empty when the key's current version is not {@code cas}
   */
  public OptionalLong kvWrite(String mount, String path, SecretData data, long cas) {
    ObjectNode body = VaultHttp.JSON.createObjectNode();
    body.putObject("options").put("cas", cas);
    body.set("data", tree(data));
    String route = mount + "/data/" + path;
    Reply reply = http.exchange(Method.POST, route, null, VaultHttp.bytes(body));
    if (reply.status() == 400 && reply.bodyMentions(CAS_MISMATCH)) {
      return OptionalLong.empty();
    }
    VaultHttp.expect(Method.POST, route, reply, 200);
    return OptionalLong.of(VaultHttp.json(Method.POST, route, reply).path("data").path("version").asLong());
  }

  /**
   * Sets the per-key settings. Custom metadata is sent when there is some, or when
   * {@code clearCustom} asks to replace what the key holds with none: a key that never had any
   * keeps reporting {@code null}, as the primary does.
   */
  public void kvSettings(String mount, String path, KvSettings settings, boolean clearCustom) {
    Map<String, Object> body = new java.util.HashMap<>(Map.of(
        "max_versions", settings.maxVersions(),
        "cas_required", settings.casRequired(),
        "delete_version_after", settings.deleteVersionAfter()));
    if (!settings.customMetadata().isEmpty() || clearCustom) {
      body.put("custom_metadata", settings.customMetadata());
    }
    http.write(Method.POST, mount + "/metadata/" + path, body);
  }

  public void kvSoftDelete(String mount, String path, List<Long> versions) {
    versions(mount + "/delete/" + path, versions);
  }

  public void kvUndelete(String mount, String path, List<Long> versions) {
    versions(mount + "/undelete/" + path, versions);
  }

  public void kvDestroy(String mount, String path, List<Long> versions) {
    versions(mount + "/destroy/" + path, versions);
  }

  /** Removes the key with every version; a no-op when it is absent. */
  public void kvDeleteMetadata(String mount, String path) {
    http.write(Method.DELETE, mount + "/metadata/" + path, null);
  }

  public void kv1Write(String mount, String path, SecretData data) {
    Reply reply = http.exchange(Method.POST, mount + "/" + path, null, data.json());
    VaultHttp.expect(Method.POST, mount + "/" + path, reply, 200, 204);
  }

  public void kv1Delete(String mount, String path) {
    http.write(Method.DELETE, mount + "/" + path, null);
  }

  public void policyWrite(String name, String rules) {
    http.write(Method.PUT, "sys/policies/acl/" + name, Map.of("policy", rules));
  }

  public void policyDelete(String name) {
    http.write(Method.DELETE, "sys/policies/acl/" + name, null);
  }

  private void versions(String route, List<Long> versions) {
    if (!versions.isEmpty()) {
      http.write(Method.POST, route, Map.of("versions", versions));
    }
  }

  private static JsonNode tree(SecretData data) {
    try {
      return VaultHttp.JSON.readTree(data.json());
    } catch (IOException e) {
      throw new VaultException("secret data is not JSON (" + e.getClass().getSimpleName() + ")", 400, null);
    }
  }
}
