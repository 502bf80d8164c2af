package dev.vaultreplicator.testkit.vault.audit;

import java.util.List;

import dev.vaultreplicator.testkit.vault.core.Mount;
import dev.vaultreplicator.testkit.vault.core.VaultRequest;
import dev.vaultreplicator.testkit.vault.token.Token;

/** What an audit entry says about a request: who made it, where it routed, and whether the ACL allowed it. */
public record AuditContext(VaultRequest request, Token token, Mount mount, boolean allowed,
                           List<String> grantingPolicies) {
}
