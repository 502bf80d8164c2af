package dev.vaultreplicator.capture;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What capture may vouch for while the primary is sealed. A sealed Vault commits nothing, and it
 * wrote the audit line of every change it committed before the seal took effect. Once those lines
 * have had the delivery allowance to arrive, and nothing since says the Vault was active again (a
 * line, a new audit connection, a check that did not find it sealed), every change it committed
 * up to the moment it last answered "sealed" has been heard of. That is what lets a switchover seal
 * the old primary first and then take its final watermark: {@code captured_through} reaches past
 * the seal instead of freezing just before it.
 */
final class SealedPrimary {

  private final Duration allowance;
  private Instant firstSealedAnswer;
  private long linesAtFirst;
  private long connectionsAtFirst;

  SealedPrimary(Duration allowance) {
    this.allowance = allowance;
  }

  /**
   * @param answeredAt when the primary's health check answered "sealed"
   * @param linesHeard audit lines heard since capture started
   * @param connectionsAccepted audit connections accepted since capture started
   * @return the instant up to which the primary committed nothing capture has not heard of; empty
   *     while the lines from before the seal may still be on their way
   */
  synchronized Optional<Instant> quietThrough(Instant answeredAt, long linesHeard, long connectionsAccepted) {
    if (firstSealedAnswer == null || linesHeard != linesAtFirst || connectionsAccepted != connectionsAtFirst) {
      firstSealedAnswer = answeredAt;
      linesAtFirst = linesHeard;
      connectionsAtFirst = connectionsAccepted;
      return Optional.empty();
    }
    return answeredAt.isBefore(firstSealedAnswer.plus(allowance)) ? Optional.empty() : Optional.of(answeredAt);
  }

  /** The primary answered anything but "sealed": a later seal is watched from its own first answer. */
  synchronized void unsealed() {
    firstSealedAnswer = null;
  }
}
