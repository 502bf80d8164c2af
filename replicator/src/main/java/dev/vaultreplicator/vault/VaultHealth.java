package dev.vaultreplicator.vault;

/** What {@code sys/health} says about a Vault node, by its default status codes. */
public enum VaultHealth {
  ACTIVE,
  STANDBY,
  SEALED,
  UNINITIALIZED,
  UNREACHABLE,
  UNEXPECTED;

  static VaultHealth ofStatus(int status) {
    return switch (status) {
      case 200 -> ACTIVE;
      case 429, 472, 473 -> STANDBY;
      case 503 -> SEALED;
      case 501 -> UNINITIALIZED;
      case 0 -> UNREACHABLE;
      default -> UNEXPECTED;
    };
  }
}
