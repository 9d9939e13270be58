package org.civicpoints.devnet;

import io.grpc.ManagedChannel;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Committed small transactions per second through the real fabric-gateway client: concurrent
 * submitters each endorse, submit and wait for the commit status of one {@code kv:Put} of a fresh
 * key at a time (no conflicts, so every transaction must commit VALID).
 *
 * <pre>
 * mvn -B -o -pl devnet test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.civicpoints.devnet.DevnetBenchmark -Dexec.args="--transactions 20000 --submitters 200"
 * </pre>
 */
public final class DevnetBenchmark {

  private DevnetBenchmark() {}

  public static void main(String[] args) throws Exception {
    int transactions = option(args, "--transactions", 20_000);
    int submitters = option(args, "--submitters", 200);
    int warmup = option(args, "--warmup", 2_000);
    Path dataDir = Files.createTempDirectory("devnet-benchmark");
    try (Devnet devnet = Devnet.start(DevnetConfig.of(dataDir, 0))) {
      ManagedChannel channel = GatewayClients.channel(devnet);
      try (Gateway gateway = GatewayClients.gateway(channel, devnet.organization(), "relay")) {
        Contract kv = gateway.getNetwork("civic").getContract("points", "kv");
        run(kv, warmup, submitters, "warm-up");
        Result result = run(kv, transactions, submitters, "measured");
        System.out.println(result.report(devnet.config(), transactions, submitters));
      } finally {
        GatewayClients.shutdown(channel);
      }
    } finally {
      deleteRecursively(dataDir);
    }
  }

  private record Result(double seconds, long[] latenciesNanos, int valid, long cpuNanos) {

    String report(DevnetConfig config, int transactions, int submitters) {
      Arrays.sort(latenciesNanos);
      return String.format(
          "devnet benchmark: %d tx, %d submitters, %d tx/block or %d ms, %d cores%n"
              + "  committed VALID: %d in %.2f s = %.0f tx/s%n"
              + "  commit latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n"
              + "  process CPU per committed tx (clients and devnet together): %.2f ms",
          transactions,
          submitters,
          config.maxTxPerBlock(),
          config.batchTimeout().toMillis(),
          Runtime.getRuntime().availableProcessors(),
          valid,
          seconds,
          valid / seconds,
          percentile(0.50),
          percentile(0.95),
          percentile(0.99),
          latenciesNanos[latenciesNanos.length - 1] / 1e6,
          cpuNanos / 1e6 / valid);
    }

    private double percentile(double fraction) {
      int index = (int) Math.ceil(fraction * latenciesNanos.length) - 1;
      return latenciesNanos[Math.max(0, index)] / 1e6;
    }
  }

  private static Result run(Contract kv, int transactions, int submitters, String phase)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger valid = new AtomicInteger();
    java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    long[] latencies = new long[transactions];
    ExecutorService pool = Executors.newFixedThreadPool(submitters);
    long started = System.nanoTime();
    long cpuStarted = processCpuNanos();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int s = 0; s < submitters; s++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < transactions;
                      i = next.getAndIncrement()) {
                    long begin = System.nanoTime();
                    try {
                      Status status =
                          kv.newProposal("Put")
                              .addArguments(phase + "-" + i, "value-" + i)
                              .build()
                              .endorse()
                              .submitAsync()
                              .getStatus();
                      if (status.getCode() == TxValidationCode.VALID) {
                        valid.incrementAndGet();
                      }
                    } catch (GatewayException e) {
                      // Counted and reported, so one slow call does not hide the whole run.
                      failures.add(e.getClass().getSimpleName() + " " + e.getStatus().getCode());
                    }
                    latencies[i] = System.nanoTime() - begin;
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long cpuNanos = processCpuNanos() - cpuStarted;
    if (valid.get() != transactions) {
      System.out.printf(
          "%s: %d of %d committed VALID; failures by kind: %s%n",
          phase,
          valid.get(),
          transactions,
          failures.stream()
              .collect(
                  java.util.stream.Collectors.groupingBy(
                      f -> f, java.util.stream.Collectors.counting())));
    }
    return new Result(seconds, latencies, valid.get(), cpuNanos);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static int option(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
