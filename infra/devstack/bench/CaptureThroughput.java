import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Capture throughput and commit-to-published latency against a running devstack
 * (./devstack up --detach). Run: java infra/devstack/bench/CaptureThroughput.java [writes] [threads]
 *
 * Phase 1 writes to a path capture does not replicate (a KV mount it is not configured for), which
 * is the primary's raw ceiling on this machine with audit on. Phase 2 writes the same number to
 * secret/, and waits until capture's metrics count every one published.
 */
public class CaptureThroughput {

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String VAULT = System.getenv().getOrDefault("VAULT_PRIMARY_ADDR", "http://127.0.0.1:8200");
  static final String METRICS = System.getenv().getOrDefault("CAPTURE_METRICS", "http://127.0.0.1:9464/metrics");

  public static void main(String[] args) throws Exception {
    int writes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    send("POST", "sys/mounts/bench-raw", "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
    double raw = writeAll("bench-raw/data/raw", writes, threads);
    System.out.printf("primary ceiling (unreplicated mount): %d writes in %.2f s = %.0f writes/s%n", writes, raw,
        writes / raw);

    double before = metric("vault_capture_events_published_total\\{region=\"east\",type=\"write\"\\}");
    long start = System.nanoTime();
    double wrote = writeAll("secret/data/bench/" + System.currentTimeMillis(), writes, threads);
    while (metric("vault_capture_events_published_total\\{region=\"east\",type=\"write\"\\}") < before + writes) {
      Thread.sleep(20);
    }
    double published = (System.nanoTime() - start) / 1e9;
    System.out.printf("replicated mount: %d writes in %.2f s (%.0f/s); all %d published after %.2f s = %.0f events/s"
        + " (%.2f of the ceiling)%n", writes, wrote, writes / wrote, writes, published, writes / published,
        (writes / published) / (writes / raw));
    for (String q : new String[] {"0.5", "0.95", "0.99"}) {
      System.out.printf("commit-to-published p%s: %.1f ms (since capture started)%n",
          q.substring(2).length() == 1 ? q.substring(2) + "0" : q.substring(2),
          1000 * metric("vault_capture_commit_to_published_seconds\\{quantile=\"" + q + "\",region=\"east\"\\}"));
    }
  }

  static double writeAll(String prefix, int writes, int threads) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      pool.execute(() -> {
        for (int i = next.getAndIncrement(); i < writes; i = next.getAndIncrement()) {
          send("POST", prefix + "/k" + (i % 500), "{\"data\":{\"password\":\"value-" + i + "\"}}");
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    return (System.nanoTime() - start) / 1e9;
  }

  static void send(String method, String path, String body) {
    try {
      HTTP.send(HttpRequest.newBuilder(URI.create(VAULT + "/v1/" + path)).header("X-Vault-Token", "root")
          .method(method, HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static double metric(String pattern) throws Exception {
    String text = HTTP.send(HttpRequest.newBuilder(URI.create(METRICS)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
    Matcher m = Pattern.compile("(?m)^" + pattern + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
