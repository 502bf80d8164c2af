package dev.vaultreplicator.apply;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a replicated secret lands on this standby. A rule {@code secret:prod/=dr:prod/} moves every
 * key under {@code prod/} in mount {@code secret} to the same place under {@code prod/} in mount
 * {@code dr}; the mount is named apart because mount names may themselves hold slashes. The
 * longest matching prefix wins; a key no rule matches keeps its place.
 */
public final class PathRemap {

  /** Where a secret lands: a mount and a path inside it. */
  public record Location(String mount, String path) {
    @Override
    public String toString() {
      return mount + "/" + path;
    }
  }

  private record Side(String mount, String prefix) {
    static Side parse(String text, String rule) {
      int colon = text.indexOf(':');
      String mount = colon < 0 ? "" : text.substring(0, colon).strip();
      if (mount.isEmpty() || mount.startsWith("/") || mount.endsWith("/") || mount.equals("sys")
          || mount.startsWith("sys/")) {
        throw new IllegalArgumentException("'" + rule + "' is not mount:prefix=mount:prefix");
      }
      return new Side(mount, text.substring(colon + 1).strip());
    }
  }

  public static final PathRemap NONE = new PathRemap(Map.of());

  private final Map<Side, Side> rules;

  private PathRemap(Map<Side, Side> rules) {
    this.rules = rules;
  }

  /** @throws IllegalArgumentException naming the rule that is not {@code mount:prefix=mount:prefix} */
  public static PathRemap parse(List<?> rules) {
    Map<Side, Side> parsed = new TreeMap<>(Comparator.comparingInt((Side s) -> s.prefix().length()).reversed()
        .thenComparing(Side::mount).thenComparing(Side::prefix));
    for (Object item : rules) {
      String rule = item.toString().strip();
      if (rule.isEmpty()) {
        continue;
      }
      String[] parts = rule.split("=", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("'" + rule + "' is not mount:prefix=mount:prefix");
      }
      if (parsed.putIfAbsent(Side.parse(parts[0], rule), Side.parse(parts[1], rule)) != null) {
        throw new IllegalArgumentException("two rules for '" + parts[0].strip() + "'");
      }
    }
    return parsed.isEmpty() ? NONE : new PathRemap(parsed);
  }

  public Location locate(String mount, String path) {
    for (Map.Entry<Side, Side> rule : rules.entrySet()) {
      Side from = rule.getKey();
      if (from.mount().equals(mount) && path.startsWith(from.prefix())) {
        return new Location(rule.getValue().mount(), rule.getValue().prefix() + path.substring(from.prefix().length()));
      }
    }
    return new Location(mount, path);
  }

  @Override
  public String toString() {
    return rules.isEmpty() ? "none" : rules.entrySet().stream()
        .map(r -> r.getKey().mount() + ":" + r.getKey().prefix() + "=" + r.getValue().mount() + ":" + r.getValue().prefix())
        .toList().toString();
  }
}
