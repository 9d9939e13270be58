package org.civicpoints.api.reads;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.civicpoints.api.reads.LoadGenerator.Call;
import org.civicpoints.api.reads.LoadGenerator.Result;
import org.civicpoints.api.reads.ReadSeed.Resident;
import org.civicpoints.api.support.ApiProcess;

/**
 * Not a test: the resident's reads against the API jar on its embedded defaults, each route
 * alternating with a bare Vert.x 5 JSON route ({@link BareJsonServer}) in the same run, so that the
 * ratio API/bare compares both on the same machine load. The API, the bare server and this load
 * generator ({@link LoadGenerator}, the Vert.x client) each run in their own JVM.
 *
 * <pre>mvn -B -q -pl api -Pbenchmark test-compile exec:java@reads \
 *   -Dbenchmark.args="[seconds 5] [rounds 3] [connections 64] [residents 300]"</pre>
 *
 * <p>{@code -Dbenchmark.jar=path} measures another build of the API jar (default: the module's
 * {@code target/civic-points-api.jar}, built by {@code mvn package}).
 */
public final class ReadBenchmark {

  private static final int WARM_UP_SECONDS = 2;
  private static final int JIT_WARM_UP_SECONDS = 10;

  /** The routes a resident's app reads when it opens, in the order they are measured. */
  private static final Map<String, Function<Resident, String>> ROUTES = routes();

  private ReadBenchmark() {}

  private static Map<String, Function<Resident, String>> routes() {
    Map<String, Function<Resident, String>> routes = new LinkedHashMap<>();
    routes.put("me/points", r -> "/v1/me/points");
    routes.put("me", r -> "/v1/me");
    routes.put("me/points/entries", r -> "/v1/me/points/entries?limit=20");
    routes.put("activities", r -> "/v1/activities?communityId=" + ReadSeed.COMMUNITY);
    routes.put(
        "leaderboards",
        r ->
            "/v1/leaderboards?scope=community:"
                + ReadSeed.COMMUNITY
                + "&period="
                + ReadSeed.PERIOD
                + "&limit=20");
    routes.put("me/notifications", r -> "/v1/me/notifications");
    return routes;
  }

  /** Exits either way: the child processes are ended first. */
  public static void main(String[] args) {
    int seconds = argument(args, 0, 5);
    int rounds = argument(args, 1, 3);
    int connections = argument(args, 2, 64);
    int residentCount = argument(args, 3, 300);
    List<Runnable> ends = new ArrayList<>();
    try {
      Path data = Files.createTempDirectory("read-benchmark");
      Path jar = jar();
      ApiProcess api = ApiProcess.start(jar, environment(data), data.resolve("api.log"));
      ends.add(api::kill);
      Process bare = bare(jar);
      ends.add(bare::destroyForcibly);
      int barePort = listeningPort(bare);
      ReadSeed seed = new ReadSeed(api.httpPort, api.mongoPort);
      List<Resident> residents = seed.signIn(residentCount);
      seed.readModels(residents);
      System.out.printf(
          "seeded %d residents (40 entries, 10 notifications each), 30 activities, a board of"
              + " %,d members; API %s (pid %d), bare route pid %d; %d connections, %d s per"
              + " run after %d s warm-up%n",
          residentCount,
          ReadSeed.BOARD_SIZE,
          jar,
          api.pid(),
          bare.pid(),
          connections,
          seconds,
          WARM_UP_SECONDS);
      Map<String, List<Pair>> runs = new LinkedHashMap<>();
      try (LoadGenerator load = new LoadGenerator(connections)) {
        // Both servers compiled by the JIT before anything is measured.
        load.drive(api.httpPort, apiCalls("me/points", residents), JIT_WARM_UP_SECONDS);
        load.drive(barePort, n -> new Call("/json", null), JIT_WARM_UP_SECONDS);
        for (int round = 1; round <= rounds; round++) {
          List<Resident> signedIn = round == 1 ? residents : seed.signIn(residentCount);
          for (String route : names()) {
            Pair pair =
                new Pair(
                    measure(load, api.httpPort, api.pid(), apiCalls(route, signedIn), seconds),
                    measure(load, barePort, bare.pid(), n -> new Call("/json", null), seconds));
            runs.computeIfAbsent(route, r -> new ArrayList<>()).add(pair);
            System.out.printf("round %d %-18s %s%n", round, route, pair);
          }
        }
      }
      seed.close();
      summary(runs);
      ends.forEach(Runnable::run);
      System.exit(0);
    } catch (Throwable failed) {
      failed.printStackTrace();
      ends.forEach(Runnable::run);
      System.exit(1);
    }
  }

  private static List<String> names() {
    List<String> names = new ArrayList<>(ROUTES.keySet());
    names.add("mix");
    return names;
  }

  /** Request n of a route: resident n in turn; the mix takes the routes in turn as well. */
  private static LongFunction<Call> apiCalls(String route, List<Resident> residents) {
    List<Function<Resident, String>> paths =
        route.equals("mix") ? new ArrayList<>(ROUTES.values()) : List.of(ROUTES.get(route));
    return n -> {
      Resident resident = residents.get((int) (n % residents.size()));
      return new Call(paths.get((int) (n % paths.size())).apply(resident), resident.accessToken());
    };
  }

  /** A run and the CPU its server process used meanwhile (warm-up excluded). */
  private record Measured(Result result, double cpuMillisPerRequest, double load) {

    @Override
    public String toString() {
      return String.format(
          "%,8.0f rps p50 %6.2f ms p99 %7.2f ms cpu %.3f ms/req%s",
          result.rps(),
          result.p50Millis(),
          result.p99Millis(),
          cpuMillisPerRequest,
          result.errors() == 0
              ? ""
              : " ERRORS " + result.errors() + " (first: " + result.firstError() + ")");
    }
  }

  private record Pair(Measured api, Measured bare) {
    double ratio() {
      return api.result.rps() / bare.result.rps();
    }

    @Override
    public String toString() {
      return String.format(
          "API %s | bare %s | API/bare %5.1f %% | load %.1f",
          api, bare, 100 * ratio(), (api.load + bare.load) / 2);
    }
  }

  private static Measured measure(
      LoadGenerator load, int port, long pid, LongFunction<Call> calls, int seconds)
      throws Exception {
    load.drive(port, calls, WARM_UP_SECONDS);
    Duration before = cpu(pid);
    Result result = load.drive(port, calls, seconds);
    double cpuMillis = cpu(pid).minus(before).toNanos() / 1e6;
    return new Measured(result, cpuMillis / Math.max(1, result.requests()), loadAverage());
  }

  private static void summary(Map<String, List<Pair>> runs) {
    System.out.println();
    System.out.println(
        "| route | API rps | p50 ms | p99 ms | CPU ms/req | bare rps | bare p99 ms | API/bare |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Map.Entry<String, List<Pair>> route : runs.entrySet()) {
      List<Pair> pairs = route.getValue();
      System.out.printf(
          "| %s | %,.0f | %.1f | %.1f | %.2f | %,.0f | %.1f | %.1f %% |%n",
          route.getKey(),
          median(pairs, p -> p.api.result.rps()),
          median(pairs, p -> p.api.result.p50Millis()),
          median(pairs, p -> p.api.result.p99Millis()),
          median(pairs, p -> p.api.cpuMillisPerRequest),
          median(pairs, p -> p.bare.result.rps()),
          median(pairs, p -> p.bare.result.p99Millis()),
          100 * median(pairs, Pair::ratio));
    }
    System.out.println("(medians of the rounds, each column on its own)");
  }

  private static double median(List<Pair> pairs, java.util.function.ToDoubleFunction<Pair> of) {
    double[] values = pairs.stream().mapToDouble(of).sorted().toArray();
    return values[values.length / 2];
  }

  private static Duration cpu(long pid) {
    return ProcessHandle.of(pid)
        .flatMap(process -> process.info().totalCpuDuration())
        .orElseThrow(() -> new IllegalStateException("no CPU time for process " + pid));
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception unknown) {
      return Double.NaN;
    }
  }

  private static Map<String, String> environment(Path data) {
    Map<String, String> environment = new HashMap<>();
    environment.put("CIVIC_ENV", "dev");
    environment.put("HTTP_HOST", "127.0.0.1");
    environment.put("HTTP_PORT", "0");
    environment.put("FABRIC_DEVNET_PORT", "0");
    environment.put("DATA_DIR", data.toString());
    environment.put("AUTH_RATE_LIMIT_PER_IP", "1000000");
    environment.put("AUTH_RATE_LIMIT_PER_PHONE", "100000");
    return environment;
  }

  private static Path jar() {
    String chosen = System.getProperty("benchmark.jar");
    if (chosen != null && !chosen.isBlank()) {
      return Path.of(chosen);
    }
    Path inModule = Path.of("target", "civic-points-api.jar");
    return Files.exists(inModule) ? inModule : Path.of("api").resolve(inModule);
  }

  /** The bare route on the jar's own Vert.x, with this module's test classes. */
  private static Process bare(Path jar) throws Exception {
    Path testClasses =
        Path.of(BareJsonServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            jar.toAbsolutePath() + java.io.File.pathSeparator + testClasses,
            BareJsonServer.class.getName())
        .redirectErrorStream(true)
        .start();
  }

  private static int listeningPort(Process bare) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(bare.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("listening on ")) {
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
      }
    }
    throw new IllegalStateException("the bare route did not start");
  }

  private static int argument(String[] args, int index, int otherwise) {
    return args.length > index && !args[index].isBlank()
        ? Integer.parseInt(args[index])
        : otherwise;
  }
}
