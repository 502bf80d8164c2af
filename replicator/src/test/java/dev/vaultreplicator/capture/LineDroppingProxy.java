package dev.vaultreplicator.capture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Sits between a Vault's socket audit device and capture, passing lines through, until told to
 * lose one: then it swallows the first line that matches and resets both connections, as a socket
 * device may lose the entry it was writing when its connection breaks (OpenBao's docs warn of it).
 */
final class LineDroppingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int target;
  private final AtomicReference<Predicate<String>> toDrop = new AtomicReference<>();
  private final CopyOnWriteArrayList<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile String dropped;

  LineDroppingProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::accept, "line-dropping-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  void dropNext(Predicate<String> line) {
    toDrop.set(line);
  }

  /** The line swallowed, or null while none was. */
  String dropped() {
    return dropped;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket device = server.accept();
        Socket capture = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(device);
        sockets.add(capture);
        Thread pump = new Thread(() -> pump(device, capture), "line-dropping-pump");
        pump.setDaemon(true);
        pump.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(Socket device, Socket capture) {
    try (device; capture;
        BufferedReader in = new BufferedReader(new InputStreamReader(device.getInputStream(), StandardCharsets.UTF_8))) {
      OutputStream out = capture.getOutputStream();
      String line;
      while ((line = in.readLine()) != null) {
        Predicate<String> drop = toDrop.get();
        if (drop != null && drop.test(line) && toDrop.compareAndSet(drop, null)) {
          dropped = line;
          return; // both connections close: the device must reconnect, capture sees a disconnect
        }
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException closed) {
      // one side went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
