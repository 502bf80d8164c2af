package dev.vaultreplicator.vault;

/**
 * Whether a failed Vault request is worth retrying. The one place that decides it: I/O failures,
 * 5xx (a sealed Vault answers 503), 429 and 412 pass with time; anything else (403, 400, 404 on a
 * write, 405) will fail the same way again.
 */
public enum VaultFailure {
  RETRIABLE,
  PERMANENT;

  /** @param status the HTTP status, or 0 when there was no response at all */
  public static VaultFailure classify(int status) {
    if (status == 0 || status == 412 || status == 429 || status >= 500) {
      return RETRIABLE;
    }
    return PERMANENT;
  }
}
