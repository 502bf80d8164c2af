package dev.vaultreplicator.verify;

/**
 * What one compared entry belongs to, so a comparison can be repeated for just the subjects that
 * differed: a KV v2 key (its settings and versions), a KV v1 key, or an ACL policy.
 */
public record Subject(Kind kind, String mount, String name) {

  public enum Kind { KV2, KV1, POLICY }

  static Subject kv2(String mount, String key) {
    return new Subject(Kind.KV2, mount, key);
  }

  static Subject kv1(String mount, String key) {
    return new Subject(Kind.KV1, mount, key);
  }

  static Subject policy(String name) {
    return new Subject(Kind.POLICY, null, name);
  }

  /** As entries name it: "secret/app/db", "policy app-read". */
  @Override
  public String toString() {
    return kind == Kind.POLICY ? "policy " + name : mount + "/" + name;
  }
}
