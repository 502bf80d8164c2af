package dev.vaultreplicator.capture;

import java.util.Locale;

/** Why an audit line triggered nothing. Each is a bounded metric tag. */
public enum SkipReason {
  /** Not a JSON object with the fields of an audit entry. */
  MALFORMED,
  /** The request half of a request/response pair; capture acts on responses only. */
  REQUEST_ENTRY,
  /** The request failed (the entry carries an error), so nothing changed. */
  FAILED,
  /** A request in another namespace than the one capture reads (the audit device sees every namespace). */
  OTHER_NAMESPACE,
  /** A read or list, or an operation capture does not know. */
  NOT_A_CHANGE,
  /** Outside the replicated mounts and the policy paths, or a mount path that holds no key. */
  UNREPLICATED_PATH,
  /** Under a replicated mount, but excluded by its include/exclude globs. */
  EXCLUDED;

  public String tag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
