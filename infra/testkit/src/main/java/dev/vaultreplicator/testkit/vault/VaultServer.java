package dev.vaultreplicator.testkit.vault;

import java.util.List;

/**
 * A Vault a test talks to over HTTP, real or emulated: where it answers, its root token and unseal
 * key, and its declared audit devices. {@link VaultEmulator} and
 * {@link dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer} are the two.
 */
public interface VaultServer extends AutoCloseable {

    String address();

    String rootToken();

    String unsealKey();

    /** Makes the declared audit devices exactly these; a new socket device needs its listener up. */
    void declareAuditDevices(List<AuditDeclaration> devices);

    @Override
    void close();
}
