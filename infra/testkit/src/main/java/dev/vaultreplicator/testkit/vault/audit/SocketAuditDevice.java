package dev.vaultreplicator.testkit.vault.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.vaultreplicator.testkit.vault.core.GoDuration;

/**
 * Vault's {@code socket} audit device over TCP: one line per entry, written with a deadline; on
 * failure it reconnects once and retries once, as Vault's socket sink does.
 */
final class SocketAuditDevice implements AutoCloseable {

    private final String path;
    private final Map<String, String> options;
    private final byte[] salt;
    private final String host;
    private final int port;
    private final Duration writeTimeout;
    private final ExecutorService writer;
    private Socket socket;

    SocketAuditDevice(String path, Map<String, String> options, byte[] salt) {
        this.path = path;
        this.options = Map.copyOf(options);
        this.salt = salt.clone();
        String address = options.get("address");
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address is required");
        }
        String socketType = options.getOrDefault("socket_type", "tcp");
        if (!socketType.equals("tcp")) {
            throw new IllegalArgumentException("socket_type \"" + socketType + "\" is not supported by this emulator");
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("error parsing address \"" + address + "\": missing port");
        }
        this.host = address.substring(0, colon);
        this.port = Integer.parseInt(address.substring(colon + 1));
        this.writeTimeout = GoDuration.parse(options.getOrDefault("write_timeout", "2s"));
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "audit-" + path);
            t.setDaemon(true);
            return t;
        });
    }

    String path() {
        return path;
    }

    Map<String, String> options() {
        return options;
    }

    byte[] salt() {
        return salt.clone();
    }

    boolean hmacAccessor() {
        return !"false".equals(options.get("hmac_accessor"));
    }

    boolean logRaw() {
        return "true".equals(options.get("log_raw"));
    }

    /** {@code hmac-sha256:} and the lowercase hex of HMAC-SHA256 under this device's salt. */
    String hash(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return "hmac-sha256:" + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Writes one entry line; false when neither the write nor one retry on a fresh connection succeeded. */
    synchronized boolean write(byte[] line) {
        String prefix = options.getOrDefault("prefix", "");
        byte[] bytes = prefix.isEmpty() ? line : concat(prefix.getBytes(StandardCharsets.UTF_8), line);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                writeWithDeadline(bytes);
                return true;
            } catch (IOException | TimeoutException | ExecutionException e) {
                closeSocket();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeSocket();
                return false;
            }
        }
        return false;
    }

    private void writeWithDeadline(byte[] bytes) throws IOException, InterruptedException, ExecutionException,
            TimeoutException {
        if (socket == null) {
            Socket fresh = new Socket();
            fresh.connect(new InetSocketAddress(host, port), (int) writeTimeout.toMillis());
            fresh.setTcpNoDelay(true);
            socket = fresh;
        }
        OutputStream out = socket.getOutputStream();
        Future<?> pending = writer.submit(() -> {
            out.write(bytes);
            out.flush();
            return null;
        });
        try {
            pending.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw e;
        }
    }

    private void closeSocket() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already broken
            }
            socket = null;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public synchronized void close() {
        closeSocket();
        writer.shutdownNow();
    }
}
