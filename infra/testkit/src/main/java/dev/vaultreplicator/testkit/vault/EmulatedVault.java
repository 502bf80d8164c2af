package dev.vaultreplicator.testkit.vault;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vaultreplicator.testkit.vault.acl.Acl;
import dev.vaultreplicator.testkit.vault.acl.Capability;
import dev.vaultreplicator.testkit.vault.acl.PolicyStore;
import dev.vaultreplicator.testkit.vault.audit.AuditBroker;
import dev.vaultreplicator.testkit.vault.audit.AuditContext;
import dev.vaultreplicator.testkit.vault.core.Flavour;
import dev.vaultreplicator.testkit.vault.core.Json;
import dev.vaultreplicator.testkit.vault.core.Mount;
import dev.vaultreplicator.testkit.vault.core.MountTable;
import dev.vaultreplicator.testkit.vault.core.Operation;
import dev.vaultreplicator.testkit.vault.core.SealState;
import dev.vaultreplicator.testkit.vault.core.VaultError;
import dev.vaultreplicator.testkit.vault.core.VaultRequest;
import dev.vaultreplicator.testkit.vault.core.VaultResponse;
import dev.vaultreplicator.testkit.vault.sys.SystemBackend;
import dev.vaultreplicator.testkit.vault.token.Token;
import dev.vaultreplicator.testkit.vault.token.TokenBackend;
import dev.vaultreplicator.testkit.vault.token.TokenStore;

/**
 * Vault's request handling, in Vault's order: seal check, token, existence check, ACL, audit
 * request entry, handler, audit response entry. Reads take no lock; every engine keeps its own
 * per-key consistency.
 */
final class EmulatedVault implements AutoCloseable {

    final Flavour flavour;
    final MountTable mounts;
    final PolicyStore policies = new PolicyStore();
    final TokenStore tokens;
    final AuditBroker audit;
    final SealState seal;
    private final SystemBackend system;
    private final TokenBackend tokenBackend;
    /** Where {@code --data-dir} keeps the state, or null in memory. */
    private final DataDirectory data;

    EmulatedVault(Flavour flavour, SealState seal, String clusterName, String clusterId, DataDirectory data) {
        this.flavour = flavour;
        this.mounts = new MountTable(flavour.mountInUseStatus());
        this.tokens = new TokenStore(flavour.serviceTokenPrefix());
        this.audit = new AuditBroker(flavour);
        this.seal = seal;
        this.system = new SystemBackend(flavour, mounts, policies, audit, seal, clusterName, clusterId);
        this.tokenBackend = new TokenBackend(tokens, policies);
        this.data = data;
    }

    /** A dev server's starting state: KV v2 at {@code secret/} and the given root token. */
    void initialiseLikeDevServer(String rootToken) {
        tokens.createRoot(rootToken);
        mounts.add(SystemBackend.newMount("secret/", (ObjectNode) Json.object().put("type", "kv-v2")
                .put("description", "key/value secret storage"), flavour));
    }

    /** Persists the audit devices after a change made outside a request (a declaration). */
    void auditDevicesChanged() {
        if (data != null) {
            data.record(this, () -> ChangeRecords.audit(this), seal.unsealKeyBase64());
        }
    }

    /** Puts back one change read from the journal of {@code --data-dir}. */
    void replay(com.fasterxml.jackson.databind.JsonNode record) {
        ChangeRecords.replay(this, record);
    }

    /** @param method the HTTP method, for the few paths that answer by method rather than operation */
    VaultResponse handle(String method, VaultRequest request) {
        String path = request.path();
        if (SystemBackend.isUnauthenticated(path)) {
            return system.unauthenticated(method, path, request.data());
        }
        if (seal.isSealed()) {
            throw new VaultError(503, "Vault is sealed");
        }
        if (request.token() == null || request.token().isEmpty()) {
            throw flavour.missingToken(path);
        }
        Token token = tokens.lookup(request.token(), Instant.now()).orElseThrow(VaultError::invalidToken);
        Optional<Mount> mount = path.startsWith("sys/") || path.startsWith("auth/") ? Optional.empty()
                : mounts.route(path);
        VaultRequest resolved = request.withOperation(resolveWrite(request.operation(), path, mount));

        Acl acl = policies.aclFor(token.policies());
        boolean sudo = SystemBackend.needsSudo(path) || (path.equals("auth/token/create")
                && request.data().path("no_parent").asBoolean(false));
        boolean allowed = acl.allows(path, Capability.requiredFor(resolved.operation()),
                resolved.operation() == Operation.LIST, sudo);
        AuditContext context = new AuditContext(resolved, token, mount.orElse(null), allowed,
                allowed ? grantingPolicies(token) : List.of());
        if (!allowed) {
            VaultError denied = VaultError.permissionDenied();
            audit.logRequest(context, denied);
            audit.logResponse(context, null, denied);
            throw denied;
        }
        if (!audit.logRequest(context, null)) {
            throw new VaultError(500, "internal error");
        }
        VaultResponse response;
        try {
            response = dispatch(resolved, mount, token, acl);
        } catch (VaultError e) {
            audit.logResponse(context, null, e);
            throw e;
        }
        boolean changed = resolved.operation().changesState() && response.status() < 400;
        if (changed && data != null) {
            VaultResponse answer = response;
            data.record(this, () -> ChangeRecords.of(this, resolved, mount, answer, token), seal.unsealKeyBase64());
        }
        if (!audit.logResponse(context, response, null)) {
            throw new VaultError(500, "internal error");
        }
        return response;
    }

    private VaultResponse dispatch(VaultRequest request, Optional<Mount> mount, Token token, Acl acl) {
        String path = request.path();
        ObjectNode data = request.data();
        if (path.startsWith("sys/")) {
            return system.handle(request.operation(), path, data);
        }
        if (path.startsWith("auth/token/")) {
            boolean hasSudo = acl.allows(path, Capability.SUDO, false, false);
            return tokenBackend.handle(request.operation(), path, data, token, hasSudo);
        }
        Mount target = mount.orElseThrow(() ->
                new VaultError(404, "no handler for route \"" + path + "\". route entry not found."));
        return target.backend().handle(request.operation(), target.relative(path), data);
    }

    /** POST and PUT arrive as CREATE; the engine's existence check decides whether they are UPDATE. */
    private Operation resolveWrite(Operation operation, String path, Optional<Mount> mount) {
        if (operation != Operation.CREATE) {
            return operation;
        }
        Optional<Boolean> exists;
        if (path.startsWith("sys/")) {
            exists = system.exists(path);
        } else if (mount.isPresent()) {
            exists = mount.get().backend().exists(mount.get().relative(path));
        } else {
            exists = Optional.empty();
        }
        return exists.map(e -> e ? Operation.UPDATE : Operation.CREATE).orElse(Operation.UPDATE);
    }

    private static List<String> grantingPolicies(Token token) {
        return token.isRoot() ? List.of("root") : token.policies();
    }

    @Override
    public void close() {
        audit.close();
        if (data != null) {
            data.close();
        }
    }
}
