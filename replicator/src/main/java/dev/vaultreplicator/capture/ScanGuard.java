package dev.vaultreplicator.capture;

/**
 * The empty-scan guard: a scan that suddenly sees far fewer keys than the previous complete one
 * (a restored-empty primary, a token that lost its list rights) must not turn into mass deletes on
 * the standbys. Deletes are held back until an operator looks.
 *
 * @param ratio a scan seeing fewer than {@code ratio × previous} keys trips the guard
 * @param minKeys the guard applies once the previous scan saw at least this many keys
 */
public record ScanGuard(double ratio, int minKeys) {

  public boolean holdsDeletes(long previous, long seen) {
    return previous >= minKeys && previous > 0 && seen < ratio * previous;
  }
}
