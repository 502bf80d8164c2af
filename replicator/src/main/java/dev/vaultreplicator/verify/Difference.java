package dev.vaultreplicator.verify;

/**
 * One entry that differs: its subject, its name ("secret/app/db v3", "secret/app/db settings"),
 * and each side's keyed digest (null where the side has no such entry). Digests of two
 * comparisons are comparable when both used the same {@link VersionDigests}.
 */
public record Difference(Subject subject, String entry, String primary, String standby) {

  /** What a person reads; digests only, never a value. */
  @Override
  public String toString() {
    if (primary == null) {
      return entry + ": only on the standby";
    }
    if (standby == null) {
      return entry + ": missing on the standby";
    }
    return entry + ": differs (primary " + primary + ", standby " + standby + ")";
  }
}
