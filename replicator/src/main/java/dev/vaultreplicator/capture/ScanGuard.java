package dev.vaultreplicator.capture;

/**
 * The empty-scan guard: a scan that suddenly lists far fewer keys than capture has published
 * (a restored-empty primary, a token that lost its list rights) must not turn into mass deletes on
 * the standbys. Deletes are held back until an operator looks.
 *
 * @param ratio a scan listing fewer than {@code ratio × published} keys trips the guard
 * @param minKeys the guard applies once at least this many keys were published
 */
public record ScanGuard(double ratio, int minKeys) {

  public boolean holdsDeletes(long published, long listed) {
    return published >= minKeys && published > 0 && listed < ratio * published;
  }
}
