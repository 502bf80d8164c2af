package dev.vaultreplicator.testkit.vault.core;

/** Vault's logical operations; POST and PUT become CREATE or UPDATE after the existence check. */
public enum Operation {
    CREATE, READ, UPDATE, PATCH, DELETE, LIST;

    public String auditName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean changesState() {
        return this == CREATE || this == UPDATE || this == PATCH || this == DELETE;
    }
}
