package dev.vaultreplicator.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Whether the audit stream still delivers: capture makes an audited request of its own (a
 * {@code lookup-self}) and waits to hear that request's response line. A connection proves
 * nothing: OpenBao keeps the connections of a socket device it removed (seen on 2.7.2 after a
 * SIGHUP dropped the stanza), and they stay open while no line comes.
 */
final class AuditProof {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROBE_PATH = "\"auth/token/lookup-self\"";
  /** The server writes the response line before it answers, so a probe's line may come first. */
  private static final int HEARD_KEPT = 64;

  private final Deque<String> heard = new ArrayDeque<>();

  /** Runs on the socket's reader thread: keeps the request ids of probe-shaped response lines. */
  void hear(String line) {
    if (!line.contains(PROBE_PATH)) {
      return;
    }
    try {
      JsonNode entry = JSON.readTree(line);
      if (entry.path("type").asText("").equals("response")) {
        synchronized (heard) {
          heard.addLast(entry.path("request").path("id").asText(""));
          if (heard.size() > HEARD_KEPT) {
            heard.removeFirst();
          }
          heard.notifyAll();
        }
      }
    } catch (IOException malformed) {
      // not a line of ours; the parser counts it
    }
  }

  /**
   * Sends the probe and waits up to {@code wait} for its line.
   *
   * @param probe sends the audited request and returns its request id
   */
  boolean prove(Supplier<String> probe, Duration wait) throws InterruptedException {
    String id = probe.get();
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (heard) {
      while (!heard.contains(id)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        heard.wait(Math.max(1, left / 1_000_000));
      }
      heard.remove(id);
      return true;
    }
  }
}
