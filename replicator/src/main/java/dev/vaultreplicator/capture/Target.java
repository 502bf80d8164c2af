package dev.vaultreplicator.capture;

import static java.util.Objects.requireNonNull;

import dev.vaultreplicator.events.Engine;
import dev.vaultreplicator.events.SecretChange;

/**
 * Something capture keeps in step with the primary: a KV key in a mount, or an ACL policy. Its
 * {@link #key()} is the record key on the changes topic.
 */
public record Target(Kind kind, String mount, String path) {

  public static final String POLICY_PREFIX = "sys/policy/";

  public enum Kind { KV_V2, KV_V1, POLICY }

  public Target {
    requireNonNull(kind, "kind");
    requireNonNull(mount, "mount");
    requireNonNull(path, "path");
  }

  public static Target policy(String name) {
    return new Target(Kind.POLICY, "sys", name);
  }

  public static Target kv(int engineVersion, String mount, String path) {
    return new Target(engineVersion == 2 ? Kind.KV_V2 : Kind.KV_V1, mount, path);
  }

  /** The key a secret change is about. */
  public static Target of(SecretChange change) {
    return kv(change.getEngine() == Engine.KV_V2 ? 2 : 1, change.getMount(), change.getPath());
  }

  public String key() {
    return kind == Kind.POLICY ? POLICY_PREFIX + path : mount + "/" + path;
  }

  @Override
  public String toString() {
    return key();
  }
}
