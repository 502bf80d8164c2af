package dev.vaultreplicator.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import dev.vaultreplicator.Sha256;
import dev.vaultreplicator.promotion.PromotionCommand;

/**
 * The promotion service, following regions east and west: its settings, three API tokens (viewer, operator,
 * breakglass) made on first use, and ready once it has read its topics ({@code /health/ready}).
 */
final class PromotionComponent {

    static final String NAME = "promotion";

    /** The API tokens in clear, for {@code .devstack/env}; the service itself only sees their hashes. */
    record Tokens(String viewer, String operator, String breakglass) { }

    private PromotionComponent() {}

    static Component of(Settings settings, DevstackLayout layout) {
        tokens(layout);
        Path config = layout.home().resolve(NAME + ".properties");
        layout.writeOwnerOnly(config, String.join("\n",
                "# Written by ./devstack up; see docs/promotion.md for every setting.",
                // Both: after a promotion of west, east is the standby to judge for the way back.
                "regions = " + Devstack.PRIMARY_REGION + "," + Devstack.STANDBY_REGION,
                "kafka.bootstrap.servers = localhost:" + settings.brokerPort,
                "topic.prefix = " + settings.topicPrefix,
                // Tokens travel in clear over plain HTTP: loopback only.
                "http.host = 127.0.0.1",
                "http.port = " + settings.promotionPort,
                "auth.token.file = " + layout.home().resolve("promotion-tokens"),
                "vault." + Devstack.PRIMARY_REGION + ".address = http://127.0.0.1:" + settings.vaultPrimaryPort,
                "vault." + Devstack.PRIMARY_REGION + ".token = " + VaultComponent.token(layout),
                "vault." + Devstack.STANDBY_REGION + ".address = http://127.0.0.1:" + settings.vaultStandbyPort,
                "vault." + Devstack.STANDBY_REGION + ".token = " + VaultComponent.token(layout),
                "inspect.interval = " + settings.inspectInterval,
                // A devstack is for trying things: a failback need not wait the default 10 minutes.
                "check.recovery.block = 30s",
                ""));
        return Component.jvm(NAME, PromotionCommand.class.getName(),
                List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                List.of("--config", config.toString()),
                url(settings),
                process -> awaitReady(url(settings), process));
    }

    static String url(Settings settings) {
        return "http://127.0.0.1:" + settings.promotionPort;
    }

    /** Made once per devstack home and kept, so a restarted service takes the same tokens. */
    static Tokens tokens(DevstackLayout layout) {
        Path clear = layout.home().resolve("promotion-tokens.properties");
        Properties saved = new Properties();
        if (Files.exists(clear)) {
            try (Reader in = Files.newBufferedReader(clear)) {
                saved.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + clear, e);
            }
        } else {
            for (String role : List.of("viewer", "operator", "breakglass")) {
                saved.setProperty(role, newToken());
            }
            layout.writeOwnerOnly(clear, "# made by ./devstack up; the service reads only promotion-tokens (hashes)\n"
                    + "viewer=" + saved.getProperty("viewer") + "\noperator=" + saved.getProperty("operator")
                    + "\nbreakglass=" + saved.getProperty("breakglass") + "\n");
        }
        Tokens tokens = new Tokens(saved.getProperty("viewer"), saved.getProperty("operator"),
                saved.getProperty("breakglass"));
        layout.writeOwnerOnly(layout.home().resolve("promotion-tokens"), String.join("\n",
                "# <name> <role> <sha256 of the token>, made by ./devstack up",
                "devstack-viewer viewer " + Sha256.hex(tokens.viewer()),
                "devstack-operator operator " + Sha256.hex(tokens.operator()),
                "devstack-breakglass breakglass " + Sha256.hex(tokens.breakglass()),
                ""));
        return tokens;
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void awaitReady(String url, ProcessHandle process) {
        Supervisor.awaitAnswer(URI.create(url + "/health/ready"), response -> response.statusCode() == 200, process,
                Duration.ofSeconds(60), "not ready");
    }
}
