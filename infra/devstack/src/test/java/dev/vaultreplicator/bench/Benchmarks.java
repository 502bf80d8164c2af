package dev.vaultreplicator.bench;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks and prints, for each, throughput and latency percentiles, and for each
 * path of ours its ratio to the raw ceiling it is built on, measured in the same run.
 * Usage: see docs/benchmarks.md.
 */
public final class Benchmarks {

  /** Our path, and the raw ceiling it is built on. */
  private static final Map<String, String> CEILINGS = Map.of(
      "CodecBenchmark.encode", "CodecBenchmark.encodeAvroOnly",
      "CodecBenchmark.decode", "CodecBenchmark.decodeAvroOnly",
      "SealerBenchmark.seal", "SealerBenchmark.encryptGcmOnly",
      "SealerBenchmark.open", "SealerBenchmark.decryptGcmOnly");

  private Benchmarks() {}

  public static void main(String[] args) throws RunnerException {
    String include = args.length > 0 ? args[0] : "dev\\.vaultreplicator\\.bench\\.";
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(include)
        .mode(Mode.SampleTime)
        .timeUnit(TimeUnit.NANOSECONDS)
        .warmupIterations(3).warmupTime(TimeValue.seconds(2))
        .measurementIterations(5).measurementTime(TimeValue.seconds(2))
        .forks(1)
        .threads(1)
        .build()).run();
    print(results);
  }

  private static void print(Collection<RunResult> results) {
    Map<String, double[]> figures = new TreeMap<>();
    for (RunResult result : results) {
      var stats = result.getPrimaryResult().getStatistics();
      figures.put(name(result.getParams()), new double[] {
          1e9 / stats.getMean(), stats.getPercentile(50), stats.getPercentile(99), stats.getPercentile(99.9)});
    }
    System.out.printf("%n%-36s %14s %10s %10s %10s%n", "benchmark (1 thread)", "ops/s", "p50 ns", "p99 ns", "p99.9 ns");
    figures.forEach((name, f) -> System.out.printf("%-36s %,14.0f %,10.0f %,10.0f %,10.0f%n", name, f[0], f[1], f[2], f[3]));
    System.out.println();
    new TreeMap<>(CEILINGS).forEach((ours, ceiling) -> {
      if (figures.containsKey(ours) && figures.containsKey(ceiling)) {
        System.out.printf("%-22s runs at %.2f of the throughput of %s%n", ours, figures.get(ours)[0] / figures.get(ceiling)[0], ceiling);
      }
    });
  }

  private static String name(BenchmarkParams params) {
    String benchmark = params.getBenchmark();
    return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
  }
}
