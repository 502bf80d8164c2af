package dev.vaultreplicator.testkit.vault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vaultreplicator.testkit.vault.core.Json;

/** A TCP endpoint for a socket audit device that keeps every line it receives, as received and parsed. */
public final class AuditListener implements AutoCloseable {

    private volatile ServerSocket server;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<JsonNode> entries = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    public AuditListener() throws IOException {
        listen(0);
    }

    private void listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server = socket;
        Thread acceptor = new Thread(this::accept, "audit-listener");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens again on the same port after {@link #close()}, as a restarted collector would. */
    public void reopen() throws IOException {
        listen(server.getLocalPort());
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public List<JsonNode> entries() {
        return entries;
    }

    /** Every line exactly as the device wrote it, without its newline. */
    public List<String> lines() {
        return lines;
    }

    private void accept() {
        ServerSocket mine = server;
        while (!mine.isClosed()) {
            try {
                Socket socket = mine.accept();
                connections.add(socket);
                Thread reader = new Thread(() -> read(socket), "audit-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void read(Socket socket) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                entries.add(Json.MAPPER.readTree(line));
            }
        } catch (IOException closed) {
            // the device or the test closed the connection
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : connections) {
            socket.close();
        }
    }
}
