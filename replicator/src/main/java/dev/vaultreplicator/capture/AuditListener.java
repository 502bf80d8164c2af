package dev.vaultreplicator.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The TCP end of Vault's socket audit device: accepts its connections and hands every line to a
 * consumer, which must never block. Vault writes each entry with a deadline, so a reader that
 * stalls would stall Vault. A line longer than {@link #MAX_LINE_BYTES} is passed on cut short,
 * which makes it malformed rather than a memory hazard.
 */
public final class AuditListener implements AutoCloseable {

  public static final int MAX_LINE_BYTES = 64 * 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(AuditListener.class);

  private final ServerSocket server;
  private final Consumer<String> lines;
  private final Runnable onDisconnect;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final String region;
  private volatile boolean open = true;

  private AuditListener(ServerSocket server, Consumer<String> lines, Runnable onDisconnect, String region) {
    this.server = server;
    this.lines = lines;
    this.onDisconnect = onDisconnect;
    this.region = region;
  }

  /**
   * @param onDisconnect called when a connection ends: lines may have been lost with it
   */
  public static AuditListener start(String host, int port, Consumer<String> lines, Runnable onDisconnect,
      String region) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    AuditListener listener = new AuditListener(server, lines, onDisconnect, region);
    Thread acceptor = new Thread(listener::acceptLoop, "capture-audit-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    LOG.info("audit socket listening on {}:{}", host, server.getLocalPort());
    return listener;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** How many audit device connections are open. */
  public int connections() {
    return connections.size();
  }

  /** Every audit device connection accepted since start: a new one says the primary was active. */
  public long accepted() {
    return accepted.get();
  }

  private void acceptLoop() {
    MDC.put("component", "capture");
    MDC.put("region", region);
    while (open) {
      try {
        Socket socket = server.accept();
        connections.add(socket);
        accepted.incrementAndGet();
        LOG.info("audit device connected from {}", socket.getRemoteSocketAddress());
        Thread reader = new Thread(() -> read(socket), "capture-audit-read");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        if (open) {
          LOG.warn("audit socket accept failed: {}", e.getClass().getSimpleName());
        }
      }
    }
  }

  private void read(Socket socket) {
    MDC.put("component", "capture");
    MDC.put("region", region);
    try (socket; InputStream in = socket.getInputStream()) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            append(line, buffer, start, i - start);
            deliver(line);
            start = i + 1;
          }
        }
        append(line, buffer, start, n - start);
      }
      if (line.size() > 0) {
        deliver(line);
      }
    } catch (IOException e) {
      if (open) {
        LOG.warn("audit connection from {} failed: {}", socket.getRemoteSocketAddress(), e.getClass().getSimpleName());
      }
    } finally {
      connections.remove(socket);
      if (open) {
        LOG.warn("audit device disconnected ({} connections left)", connections.size());
        onDisconnect.run();
      }
    }
  }

  private static void append(ByteArrayOutputStream line, byte[] buffer, int from, int length) {
    int room = MAX_LINE_BYTES - line.size();
    line.write(buffer, from, Math.min(length, Math.max(room, 0)));
  }

  private void deliver(ByteArrayOutputStream line) {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (!text.isBlank()) {
      lines.accept(text);
    }
  }

  @Override
  public void close() {
    open = false;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the audit socket: {}", e.getClass().getSimpleName());
    }
    for (Socket socket : connections) {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing an audit connection: {}", e.getClass().getSimpleName());
      }
    }
  }
}
