package dev.vaultreplicator.promotion.auth;

import java.util.Locale;

/** What a caller may do; each role includes the ones before it. */
public enum Role {
  /** Read status, readiness, epoch, audit. */
  VIEWER,
  /** Also promote a standby whose checks pass, and run drills. */
  OPERATOR,
  /** Also force a promotion past failing checks. */
  BREAKGLASS;

  public boolean includes(Role other) {
    return compareTo(other) >= 0;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Role parse(String text) {
    for (Role role : values()) {
      if (role.label().equals(text)) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role '" + text + "' (viewer, operator, breakglass)");
  }
}
