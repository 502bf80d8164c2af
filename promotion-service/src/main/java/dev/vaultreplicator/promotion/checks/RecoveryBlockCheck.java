package dev.vaultreplicator.promotion.checks;

import dev.vaultreplicator.events.EpochRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code recovery-block}: the last promotion is older than {@code check.recovery.block}, so a
 * flapping signal cannot bounce the primary between regions. A request that means to promote
 * within it says so in {@code recovery_block_ack}, with a comment the audit keeps; {@code force}
 * alone does not pass it.
 */
public final class RecoveryBlockCheck implements RegionCheck {

  public static final String NAME = "recovery-block";

  private final Supplier<Optional<EpochRecord>> currentEpoch;
  private final Duration block;
  private final Clock clock;

  /** @param currentEpoch the control topic's current epoch, read when asked; it throws when the topic cannot be read */
  public RecoveryBlockCheck(Supplier<Optional<EpochRecord>> currentEpoch, Duration block, Clock clock) {
    this.currentEpoch = currentEpoch;
    this.block = block;
    this.clock = clock;
  }

  @Override
  public CheckResult evaluate(String region) {
    Optional<EpochRecord> current;
    try {
      current = currentEpoch.get();
    } catch (RuntimeException e) {
      return new CheckResult(NAME, CheckResult.Status.UNKNOWN, "the control topic cannot be read ("
          + e.getClass().getSimpleName() + "): when the last promotion was is not known");
    }
    // Capture's claim of the first epoch (no request id) starts the pipeline; it was no promotion.
    if (current.isEmpty() || current.get().getRequestId() == null) {
      return new CheckResult(NAME, CheckResult.Status.PASS, "no promotion yet");
    }
    EpochRecord epoch = current.get();
    Instant open = epoch.getSince().plus(block);
    if (clock.instant().isBefore(open)) {
      return new CheckResult(NAME, CheckResult.Status.FAIL, String.format(
          "epoch %d made %s primary at %s, %ss ago, within recovery-block %ss: promotions open at %s, or "
              + "acknowledge the block with recovery_block_ack and a comment", epoch.getEpoch(),
          epoch.getPrimaryRegion(), epoch.getSince(), Duration.between(epoch.getSince(), clock.instant()).toSeconds(),
          block.toSeconds(), open));
    }
    return new CheckResult(NAME, CheckResult.Status.PASS, String.format(
        "the last promotion (epoch %d, %s) is older than recovery-block %ss", epoch.getEpoch(), epoch.getSince(),
        block.toSeconds()));
  }

  /** The verdict once a request has acknowledged a block that holds. */
  public static CheckResult acknowledged(CheckResult blocked, String caller, String comment) {
    return new CheckResult(NAME, CheckResult.Status.WARN, "acknowledged by " + caller + " (\"" + comment + "\"): "
        + blocked.reason());
  }
}
