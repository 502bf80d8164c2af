package dev.vaultreplicator.capture;

import dev.vaultreplicator.events.Operation;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Record keys of the changes topic. Compaction keeps only the newest record of each key, so a key
 * names exactly what its next record replaces: one version's data, one version's state, a
 * secret's settings, its deletion. The data of a live version therefore survives whatever
 * happens to the secret's other versions, settings or state. KV v1 secrets and policies have no
 * versions: each is its own key. Every key of one secret goes to one partition
 * ({@link ChangesPartitioner}), so its events stay in order.
 */
public final class ChangeKeys {

  /**
   * The suffixes below, anchored at the end. A path may contain {@code #} itself; exactly one suffix
   * is appended and no suffix ends with another one, so the match at the end is that suffix.
   */
  private static final Pattern SUFFIX = Pattern.compile("#(meta|deleted|v\\d+(#state)?)$");

  private ChangeKeys() {}

  /** A KV v2 version's WRITE: its data, replaced only by a tombstone (destroyed, pruned, metadata deleted). */
  public static String version(Target target, long version) {
    return target.key() + "#v" + version;
  }

  /** A KV v2 version's soft delete, undelete or destroy: each replaces the one before. */
  public static String versionState(Target target, long version) {
    return version(target, version) + "#state";
  }

  /** A KV v2 secret's settings. */
  public static String settings(Target target) {
    return target.key() + "#meta";
  }

  /**
   * A KV v2 secret's deletion with all its versions. Kept apart from its settings so that a
   * region reading behind never misses it, even once the secret is made anew.
   */
  public static String deleted(Target target) {
    return target.key() + "#deleted";
  }

  /** The key of a KV v2 event: {@code version} names the version of a WRITE, soft delete, undelete or destroy. */
  public static String ofKv2(Target target, Operation operation, long version) {
    return switch (operation) {
      case WRITE -> version(target, version);
      case SOFT_DELETE, UNDELETE, DESTROY -> versionState(target, version);
      case METADATA -> settings(target);
      case DELETE_METADATA -> deleted(target);
      case UNKNOWN -> throw new IllegalArgumentException("no record key for an UNKNOWN operation");
    };
  }

  /** The secret a record key belongs to: the key without its suffix. */
  public static String secretOf(String recordKey) {
    Matcher suffix = SUFFIX.matcher(recordKey);
    return suffix.find() ? recordKey.substring(0, suffix.start()) : recordKey;
  }
}
