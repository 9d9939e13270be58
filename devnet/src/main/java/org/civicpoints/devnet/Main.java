package org.civicpoints.devnet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar fabric-devnet.jar --data DIR [--port PORT]}: serves the devnet until SIGTERM or
 * Ctrl-C, and prints {@code devnet ready 127.0.0.1:PORT} once it accepts calls.
 */
public final class Main {

  private static final String USAGE =
      "usage: java -jar fabric-devnet.jar --data DIR [--port PORT]  (port 0 = any free port)";

  private Main() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    DevnetConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Devnet devnet = Devnet.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  devnet.close();
                  // Straight to stderr: java.util.logging resets its handlers in its own shutdown
                  // hook.
                  System.err.println("devnet stopped at ledger height " + devnet.height());
                  stopped.countDown();
                },
                "devnet-shutdown"));
    System.out.println("devnet ready " + devnet.endpoint());
    System.out.flush();
    stopped.await();
  }

  static DevnetConfig parse(String[] args) {
    Path data = null;
    int port = 0;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + option);
      }
      String value = args[++i];
      switch (option) {
        case "--data" -> data = Path.of(value);
        case "--port" -> port = parsePort(value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (data == null) {
      throw new IllegalArgumentException("--data DIR is required");
    }
    return DevnetConfig.of(data, port);
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a number, was " + value, e);
    }
  }
}
