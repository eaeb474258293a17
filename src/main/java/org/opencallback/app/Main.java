package org.opencallback.app;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * The command line: run the server, {@code hash-password PASSWORD}, or {@code move-store} (move a
 * store's data into another store: {@link MoveStoreCommand}).
 */
public final class Main {
  /** Exit code for a bad flag, configuration or database at start. */
  static final int EXIT_USAGE = 2;
  /** bcrypt cost of {@code hash-password}. */
  static final int BCRYPT_COST = 12;

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("hash-password")) {
      if (args.length != 2 || args[1].isEmpty()) {
        fail("usage: java -jar opencallback.jar hash-password PASSWORD");
      }
      System.out.println(BCrypt.withDefaults().hashToString(BCRYPT_COST, args[1].toCharArray()));
      return;
    }
    if (args.length > 0 && args[0].equals("move-store")) {
      System.exit(MoveStoreCommand.run(java.util.List.of(args).subList(1, args.length), System.out, System.err));
    }
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(Settings.USAGE);
      return;
    }
    Server server;
    try {
      Settings settings = Settings.parse(args, System::getenv);
      server = Server.start(settings, Clock.systemUTC());
    } catch (UsageException e) {
      fail(e.getMessage());
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop = () -> {
      try {
        server.close();
      } finally {
        stopped.countDown();
      }
    };
    Signal.handle(new Signal("TERM"), signal -> new Thread(() -> {
      stop.run();
      Runtime.getRuntime().halt(0);
    }, "shutdown").start());
    Signal.handle(new Signal("INT"), signal -> new Thread(() -> {
      stop.run();
      Runtime.getRuntime().halt(0);
    }, "shutdown").start());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void fail(String message) {
    System.err.println("opencallback: " + message);
    System.exit(EXIT_USAGE);
  }
}
