package dev.vaultreplicator.promotion.checks;

import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.promotion.epoch.ControlLog;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code fencing}: a promotion can be decided by the control topic right now: the topic is
 * readable and no other promotion is in flight here.
 */
public final class FencingCheck {

  public static final String NAME = "fencing";

  private final Supplier<Optional<EpochRecord>> currentEpoch;
  private final BooleanSupplier promotionInFlight;

  /** @param currentEpoch the control topic's current epoch, read when asked; it throws when the topic cannot be read */
  public FencingCheck(Supplier<Optional<EpochRecord>> currentEpoch, BooleanSupplier promotionInFlight) {
    this.currentEpoch = currentEpoch;
    this.promotionInFlight = promotionInFlight;
  }

  /** Makes the check once the gate that knows what is in flight exists. */
  @FunctionalInterface
  public interface Factory {
    FencingCheck create(BooleanSupplier promotionInFlight);
  }

  public static Factory factory(ControlLog control) {
    return inFlight -> new FencingCheck(control::current, inFlight);
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
    return new CheckResult(NAME, CheckResult.Status.PASS, String.format("epoch %d names %s primary since %s",
        epoch.getEpoch(), epoch.getPrimaryRegion(), epoch.getSince()));
  }
}
