package dev.vaultreplicator.apply;

import static java.util.Objects.requireNonNull;

/** The topics one region's apply reads and writes, named once from the prefix and the region. */
public record ApplyTopics(String changes, String control, String applied, String dlq) {

  public ApplyTopics {
    requireNonNull(changes, "changes");
    requireNonNull(control, "control");
    requireNonNull(applied, "applied");
    requireNonNull(dlq, "dlq");
  }

  public static ApplyTopics of(String prefix, String region) {
    return new ApplyTopics(prefix + ".changes", prefix + ".control", prefix + ".applied." + region,
        prefix + ".dlq." + region);
  }
}
