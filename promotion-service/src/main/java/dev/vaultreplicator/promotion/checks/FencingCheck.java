package dev.vaultreplicator.promotion.checks;

import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.promotion.epoch.ControlLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code fencing}: a promotion can be decided by the control topic right now. The topic must be
 * readable, no other promotion may be in flight here, and the last one must be older than
 * {@code recovery-block}, so a flapping signal cannot bounce the primary between regions.
 */
public final class FencingCheck {

  public static final String NAME = "fencing";

  private final Supplier<Optional<EpochRecord>> currentEpoch;
  private final Duration recoveryBlock;
  private final BooleanSupplier promotionInFlight;
  private final Clock clock;

  /** @param currentEpoch the control topic's current epoch, read when asked; it throws when the topic cannot be read */
  public FencingCheck(Supplier<Optional<EpochRecord>> currentEpoch, Duration recoveryBlock,
      BooleanSupplier promotionInFlight, Clock clock) {
    this.currentEpoch = currentEpoch;
    this.recoveryBlock = recoveryBlock;
    this.promotionInFlight = promotionInFlight;
    this.clock = clock;
  }

  /** Makes the check once the gate that knows what is in flight exists. */
  @FunctionalInterface
  public interface Factory {
    FencingCheck create(BooleanSupplier promotionInFlight);
  }

  public static Factory factory(ControlLog control, Duration recoveryBlock, Clock clock) {
    return inFlight -> new FencingCheck(control::current, recoveryBlock, inFlight, clock);
  }

  public CheckResult evaluate(String region) {
    if (promotionInFlight.getAsBoolean()) {
      return new CheckResult(NAME, CheckResult.Status.FAIL, "another promotion is in flight; retry once it is decided");
    }
    Optional<EpochRecord> current;
    try {
      current = currentEpoch.get();
    } catch (RuntimeException e) {
      return new CheckResult(NAME, CheckResult.Status.UNKNOWN, "the control topic cannot be read ("
          + e.getClass().getSimpleName() + "): no epoch can be claimed until it can");
    }
    if (current.isEmpty()) {
      return new CheckResult(NAME, CheckResult.Status.PASS, "no epoch claimed yet; a promotion claims epoch 1");
    }
    EpochRecord epoch = current.get();
    Instant unblocked = epoch.getSince().plus(recoveryBlock);
    // Capture's claim of the first epoch (no request id) starts the pipeline; it was no promotion.
    boolean promoted = epoch.getRequestId() != null;
    if (promoted && clock.instant().isBefore(unblocked)) {
      return new CheckResult(NAME, CheckResult.Status.FAIL, String.format(
          "epoch %d made %s primary at %s, within recovery-block %ss; promotions open at %s (or force one)",
          epoch.getEpoch(), epoch.getPrimaryRegion(), epoch.getSince(), recoveryBlock.toSeconds(), unblocked));
    }
    return new CheckResult(NAME, CheckResult.Status.PASS, String.format("epoch %d names %s primary since %s",
        epoch.getEpoch(), epoch.getPrimaryRegion(), epoch.getSince()));
  }
}
