package dev.vaultreplicator.testkit.vault.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.vaultreplicator.testkit.vault.core.GoDuration;

/**
 * Vault's {@code socket} audit device over TCP: one line per entry, written with a deadline; on
 * failure it reconnects once and retries once, as Vault's socket sink does.
 */
final class SocketAuditDevice extends AuditDevice {

    private final String host;
    private final int port;
    private final Duration writeTimeout;
    private final ExecutorService writer;
    private Socket socket;

    SocketAuditDevice(String path, Map<String, String> options, byte[] salt) {
        super("socket", options, salt);
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

    /** Writes one entry line; false when neither the write nor one retry on a fresh connection succeeded. */
    @Override
    synchronized boolean write(byte[] line) {
        byte[] bytes = prefixed(line);
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

    @Override
    public synchronized void close() {
        closeSocket();
        writer.shutdownNow();
    }
}
