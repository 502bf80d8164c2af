package dev.vaultreplicator.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The primary's two audit devices, set up as docs/capture.md asks of an operator: a file device,
 * so the primary goes on answering while capture is stopped (Vault refuses requests when no
 * device can be written), and the socket device that feeds capture. The primary keeps both
 * across restarts, so each is enabled only when missing.
 */
final class PrimaryAuditDevices {

    static final String FILE_DEVICE = "file";
    static final String SOCKET_DEVICE = "capture";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String vault;

    PrimaryAuditDevices(String vault) {
        this.vault = vault;
    }

    void keepFileDevice(Path file) {
        if (!devices().contains("\"" + FILE_DEVICE + "/\"")) {
            HttpResponse<String> enabled = enable(FILE_DEVICE, "{\"type\":\"file\",\"options\":{\"file_path\":\""
                    + file.toAbsolutePath() + "\"}}");
            if (enabled.statusCode() != 204) {
                throw new IllegalStateException("enabling the file audit device answered " + enabled.statusCode()
                        + ": " + enabled.body());
            }
        }
    }

    /**
     * Points the socket device at capture once capture listens. Vault tests a new device with a
     * probe line, so enabling fails until the listener is up; an existing device reconnects by
     * itself on its next write.
     */
    void connectSocketDevice(int port, ProcessHandle capture) {
        String address = "127.0.0.1:" + port;
        if (devices().contains("\"" + SOCKET_DEVICE + "/\"")) {
            return;
        }
        String body = "{\"type\":\"socket\",\"options\":{\"address\":\"" + address + "\",\"socket_type\":\"tcp\"}}";
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && capture.isAlive()) {
            HttpResponse<String> enabled = enable(SOCKET_DEVICE, body);
            if (enabled.statusCode() == 204) {
                return;
            }
            if (!enabled.body().contains("failed test message")) {
                throw new IllegalStateException("enabling the socket audit device answered " + enabled.statusCode()
                        + ": " + enabled.body());
            }
            Devstack.pause();
        }
        throw new IllegalStateException(capture.isAlive() ? "the primary's audit device could not reach capture on "
                + address + " within 60 s" : "the process exited");
    }

    private String devices() {
        HttpResponse<String> listed = send(request("sys/audit").GET().build());
        if (listed.statusCode() != 200) {
            throw new IllegalStateException("listing the primary's audit devices answered " + listed.statusCode()
                    + ": " + listed.body());
        }
        return listed.body();
    }

    private HttpResponse<String> enable(String name, String body) {
        return send(request("sys/audit/" + name).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(vault + "/v1/" + path)).timeout(Duration.ofSeconds(5))
                .header("X-Vault-Token", Devstack.VAULT_TOKEN);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the primary at " + vault, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
