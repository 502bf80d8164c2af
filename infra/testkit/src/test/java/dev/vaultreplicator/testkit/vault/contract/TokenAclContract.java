package dev.vaultreplicator.testkit.vault.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens and ACL enforcement (vault-api.md §5 and §6; Vault's "Policies" concept page and the
 * "/auth/token" API page): deny by default, exact rules beat globs, create versus update.
 */
abstract class TokenAclContract {

    final VaultTarget target;
    VaultHttp vault;
    String app;

    TokenAclContract(VaultTarget target) {
        this.target = target;
    }

    @BeforeEach
    void connect() {
        vault = target.http();
        app = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        vault.post("secret/data/" + app + "/db", Map.of("data", Map.of("password", "p")));
        vault.post("secret/data/" + app + "/other/x", Map.of("data", Map.of("k", "v")));
    }

    private VaultHttp tokenWith(String hcl) {
        String policy = app + "-policy";
        assertThat(vault.post("sys/policies/acl/" + policy, Map.of("policy", hcl)).status()).isEqualTo(204);
        var created = vault.post("auth/token/create", Map.of("policies", List.of(policy), "ttl", "1h"));
        assertThat(created.status()).isEqualTo(200);
        return vault.as(created.json().at("/auth/client_token").asText());
    }

    @Test
    void aCreatedTokenCarriesItsPoliciesPlusDefaultAndATtl() {
        var created = vault.post("auth/token/create", Map.of("policies", List.of("Zeta", "alpha"), "ttl", "1h"));

        var auth = created.json().get("auth");
        assertThat(created.status()).isEqualTo(200);
        // OpenBao 2.7.2, seen on the real server: the older "s." prefix; Vault 1.10 and later: "hvs.".
        assertThat(auth.get("client_token").asText()).startsWith(target.isOpenBao() ? "s." : "hvs.");
        assertThat(auth.get("policies")).extracting(n -> n.asText()).containsExactly("alpha", "default", "zeta");
        assertThat(auth.get("lease_duration").asLong()).isEqualTo(3600);
        assertThat(auth.get("renewable").asBoolean()).isTrue();
        assertThat(created.json().get("warnings")).extracting(n -> n.asText())
                .contains("Policy \"zeta\" does not exist");
    }

    @Test
    void lookupSelfDescribesTheCallersToken() {
        VaultHttp reader = tokenWith("path \"secret/data/" + app + "/*\" { capabilities = [\"read\"] }");

        var self = reader.get("auth/token/lookup-self").data();
        var root = vault.get("auth/token/lookup-self").data();

        assertThat(self.get("policies")).extracting(n -> n.asText()).containsExactly(app + "-policy", "default");
        assertThat(self.get("ttl").asLong()).isBetween(3500L, 3600L);
        assertThat(self.get("display_name").asText()).isEqualTo("token");
        assertThat(self.get("path").asText()).isEqualTo("auth/token/create");
        assertThat(self.get("expire_time").asText()).isNotEmpty();
        assertThat(root.get("policies")).extracting(n -> n.asText()).containsExactly("root");
        assertThat(root.get("ttl").asLong()).isZero();
        assertThat(root.get("expire_time").isNull()).isTrue();
    }

    @Test
    void renewSelfWorksForAServiceTokenAndNotForRoot() {
        VaultHttp reader = tokenWith("path \"secret/data/" + app + "/*\" { capabilities = [\"read\"] }");

        var renewed = reader.post("auth/token/renew-self", Map.of("increment", "30m"));
        var rootRenew = vault.post("auth/token/renew-self", Map.of());

        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.json().at("/auth/lease_duration").asLong()).isEqualTo(1800);
        assertThat(rootRenew.status()).isEqualTo(400);
    }

    @Test
    void aPolicyGrantsOnlyWhatItSaysAndDeniesTheRest() {
        VaultHttp reader = tokenWith("path \"secret/data/" + app + "/*\" { capabilities = [\"read\"] }");

        var allowed = reader.get("secret/data/" + app + "/db");
        var writeDenied = reader.post("secret/data/" + app + "/db", Map.of("data", Map.of("password", "x")));
        var otherDenied = reader.get("secret/metadata/" + app + "/db");

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(writeDenied.status()).isEqualTo(403);
        assertThat(writeDenied.errors().get(0).asText()).contains("permission denied");
        assertThat(otherDenied.status()).isEqualTo(403);
    }

    @Test
    void createAndUpdateAreDistinctCapabilities() {
        VaultHttp updater = tokenWith("path \"secret/data/" + app + "/*\" { capabilities = [\"update\"] }");

        var updateExisting = updater.post("secret/data/" + app + "/db", Map.of("data", Map.of("password", "x")));
        var createNew = updater.post("secret/data/" + app + "/new", Map.of("data", Map.of("password", "x")));

        assertThat(updateExisting.status()).isEqualTo(200);
        assertThat(createNew.status()).isEqualTo(403);
    }

    @Test
    void anExactRuleBeatsAGlobAndDenyWins() {
        VaultHttp token = tokenWith("""
                path "secret/data/%1$s/*" { capabilities = ["read"] }
                path "secret/data/%1$s/db" { capabilities = ["deny"] }
                """.formatted(app));

        assertThat(token.get("secret/data/" + app + "/db").status()).isEqualTo(403);
        assertThat(token.get("secret/data/" + app + "/other/x").status()).isEqualTo(200);
    }

    @Test
    void plusMatchesExactlyOneSegment() {
        VaultHttp token = tokenWith("path \"secret/data/+/db\" { capabilities = [\"read\"] }");

        assertThat(token.get("secret/data/" + app + "/db").status()).isEqualTo(200);
        assertThat(token.get("secret/data/" + app + "/other/x").status()).isEqualTo(403);
    }

    @Test
    void listingNeedsListOnTheMetadataPath() {
        VaultHttp lister = tokenWith("path \"secret/metadata/" + app + "/*\" { capabilities = [\"list\"] }");

        assertThat(lister.list("secret/metadata/" + app + "/").status()).isEqualTo(200);
        assertThat(lister.get("secret/data/" + app + "/db").status()).isEqualTo(403);
    }

    @Test
    void noTokenIsRefusedAndAnUnknownTokenIs403() {
        var missing = vault.as(null).get("secret/data/" + app + "/db");
        var unknown = vault.as("hvs.not-a-token").get("secret/data/" + app + "/db");

        if (target.isOpenBao()) {
            // OpenBao 2.7.2, seen on the real server: no token is just another bad token.
            assertThat(missing.status()).isEqualTo(403);
            assertThat(missing.errors().get(0).asText()).isEqualTo("permission denied");
        } else {
            // Vault: 400 (vault-api.md §6, http/handler.go).
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.errors().get(0).asText()).isEqualTo("missing client token");
        }
        assertThat(unknown.status()).isEqualTo(403);
        // Both: a plain "permission denied", not the core's multierror of an ACL denial.
        assertThat(unknown.errors().get(0).asText()).isEqualTo("permission denied");
    }

    @Test
    void aTokenCanBeSentAsABearerHeaderToo() {
        var created = vault.post("auth/token/create", Map.of("policies", List.of("default"), "ttl", "1h"));
        String token = created.json().at("/auth/client_token").asText();

        var self = new BearerCall(vault.address(), token).lookupSelf();

        assertThat(self).isEqualTo(200);
    }

    private record BearerCall(String address, String token) {
        int lookupSelf() {
            try {
                var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(address
                        + "/v1/auth/token/lookup-self")).header("Authorization", "Bearer " + token).build();
                return java.net.http.HttpClient.newHttpClient()
                        .send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
