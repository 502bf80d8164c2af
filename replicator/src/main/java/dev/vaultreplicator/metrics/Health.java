package dev.vaultreplicator.metrics;

import java.util.Locale;

/**
 * What a component's {@code /health/*} endpoints answer, from its lifecycle: live unless it has
 * failed; ready only while it runs. Readiness says nothing about the Vault or Kafka it reaches,
 * since an orchestrator that took capture out of service while the primary is down would also cut
 * the primary's audit device off from it.
 */
public enum Health {
  STARTING(true, false),
  RUNNING(true, true),
  STOPPING(true, false),
  STOPPED(false, false),
  FAILED(false, false);

  private final boolean live;
  private final boolean ready;

  Health(boolean live, boolean ready) {
    this.live = live;
    this.ready = ready;
  }

  public boolean live() {
    return live;
  }

  public boolean ready() {
    return ready;
  }

  /** The same-named state of a component's lifecycle enum. */
  public static Health of(Enum<?> state) {
    return valueOf(state.name());
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
