package dev.vaultreplicator.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one line from Vault's socket audit device into the {@link Target} it changed, or the
 * reason it changed nothing capture replicates. Audit values are HMAC'd, so a line is only ever a
 * trigger: the state is re-read from the primary. Numbers are not hashed, so the line of a KV v2
 * data write names the version it made, which lets capture read that version alone. Field order
 * is not relied on.
 */
public final class AuditLineParser {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> CHANGES = Set.of("create", "update", "delete", "patch");
  private static final List<String> KV2_PREFIXES = List.of("data/", "metadata/", "delete/", "undelete/", "destroy/");

  /** What one line means: a change to a target, a KV v2 mount's new configuration, or a skip with its reason. */
  public sealed interface Verdict permits Change, MountConfigChanged, Skip {}

  /**
   * @param time when the primary wrote the entry (its clock); now when the entry has no time
   * @param writtenVersion the version a KV v2 data write made, as its response names it; 0 for any other change
   */
  public record Change(Target target, Instant time, long writtenVersion) implements Verdict {
    public Change(Target target, Instant time) {
      this(target, time, 0);
    }
  }

  /** {@code <mount>/config} was written: its {@code max_versions} decides which versions a write prunes. */
  public record MountConfigChanged(String mount) implements Verdict {}

  public record Skip(SkipReason reason) implements Verdict {}

  private final List<Map.Entry<String, Integer>> mountsLongestFirst;
  private final Map<String, PathFilter> filters;
  private final boolean policies;
  private final String namespacePath;

  /** In the root namespace. */
  public AuditLineParser(Map<String, Integer> mounts, Map<String, PathFilter> filters, boolean policies) {
    this(mounts, filters, policies, "");
  }

  /**
   * @param mounts replicated mounts (no trailing slash) and their KV version
   * @param namespace the namespace capture reads (empty for the root): its lines' paths are relative to it
   */
  public AuditLineParser(Map<String, Integer> mounts, Map<String, PathFilter> filters, boolean policies,
      String namespace) {
    this.namespacePath = namespace.isEmpty() ? "" : namespace + "/";
    this.mountsLongestFirst = mounts.entrySet().stream()
        .sorted(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getKey().length()).reversed())
        .map(e -> Map.entry(e.getKey(), e.getValue()))
        .toList();
    this.filters = Map.copyOf(filters);
    this.policies = policies;
  }

  public Verdict parse(String line, Instant now) {
    JsonNode entry;
    try {
      entry = JSON.readTree(line);
    } catch (IOException e) {
      return new Skip(SkipReason.MALFORMED);
    }
    if (entry == null || !entry.isObject() || !entry.path("request").isObject()) {
      return new Skip(SkipReason.MALFORMED);
    }
    String type = entry.path("type").asText("");
    if (type.equals("request")) {
      return new Skip(SkipReason.REQUEST_ENTRY);
    }
    if (!type.equals("response")) {
      return new Skip(SkipReason.MALFORMED);
    }
    if (!entry.path("error").asText("").isEmpty()) {
      return new Skip(SkipReason.FAILED);
    }
    JsonNode request = entry.path("request");
    // OpenBao names a namespace by its path with a trailing slash, and the root by an id alone.
    if (!request.path("namespace").path("path").asText("").equals(namespacePath)) {
      return new Skip(SkipReason.OTHER_NAMESPACE);
    }
    if (!CHANGES.contains(request.path("operation").asText("").toLowerCase(Locale.ROOT))) {
      return new Skip(SkipReason.NOT_A_CHANGE);
    }
    Instant time = time(entry.path("time").asText(""), now);
    JsonNode version = entry.path("response").path("data").path("version");
    return classify(request.path("path").asText(""), time, version.isIntegralNumber() ? version.asLong() : 0);
  }

  private Verdict classify(String path, Instant time, long respondedVersion) {
    if (path.startsWith("sys/")) {
      return policyName(path).<Verdict>map(name -> new Change(Target.policy(name), time))
          .orElse(new Skip(SkipReason.UNREPLICATED_PATH));
    }
    for (Map.Entry<String, Integer> mount : mountsLongestFirst) {
      if (!path.startsWith(mount.getKey() + "/")) {
        continue;
      }
      String rest = path.substring(mount.getKey().length() + 1);
      boolean kv2 = mount.getValue() == 2;
      if (kv2 && rest.equals("config")) {
        return new MountConfigChanged(mount.getKey());
      }
      String key = kv2 ? kv2Key(rest) : rest;
      if (key == null || key.isEmpty() || key.endsWith("/")) {
        return new Skip(SkipReason.UNREPLICATED_PATH);
      }
      if (!filters.getOrDefault(mount.getKey(), PathFilter.ALL).accepts(key)) {
        return new Skip(SkipReason.EXCLUDED);
      }
      long written = kv2 && rest.startsWith("data/") && respondedVersion > 0 ? respondedVersion : 0;
      return new Change(Target.kv(mount.getValue(), mount.getKey(), key), time, written);
    }
    return new Skip(SkipReason.UNREPLICATED_PATH);
  }

  private Optional<String> policyName(String path) {
    String name = null;
    if (path.startsWith("sys/policy/")) {
      name = path.substring("sys/policy/".length());
    } else if (path.startsWith("sys/policies/acl/")) {
      name = path.substring("sys/policies/acl/".length());
    }
    if (!policies || name == null || name.isEmpty() || name.contains("/")) {
      return Optional.empty();
    }
    return Optional.of(name.toLowerCase(Locale.ROOT));
  }

  private static String kv2Key(String rest) {
    for (String prefix : KV2_PREFIXES) {
      if (rest.startsWith(prefix)) {
        return rest.substring(prefix.length());
      }
    }
    return null;
  }

  private static Instant time(String text, Instant now) {
    try {
      return text.isEmpty() ? now : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return now;
    }
  }
}
