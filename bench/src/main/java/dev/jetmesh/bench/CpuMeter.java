package dev.jetmesh.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time spent by this JVM (the load driver, and the projector where it runs in-process), by the
 * orchestrator processes it started, by all {@code postgres} processes and by all {@code
 * nats-server} processes, from /proc (Linux only; elsewhere it reports nothing). It shows where a
 * phase's time goes on a machine whose 2 cores all three share.
 */
final class CpuMeter {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
  private static final String SELF = String.valueOf(ProcessHandle.current().pid());

  private final Map<String, Long> start;
  private final long startNanos;

  private CpuMeter() {
    this.start = snapshot();
    this.startNanos = System.nanoTime();
  }

  static CpuMeter start() {
    return new CpuMeter();
  }

  /** "driver 1.2 s, orchestrator 2.0 s, postgres 3.4 s, nats-server 0.5 s of 2 × 2.0 s wall". */
  String stop() {
    Map<String, Long> end = snapshot();
    double wall = (System.nanoTime() - startNanos) / 1e9;
    if (end.isEmpty()) {
      return "n/a";
    }
    StringBuilder sb = new StringBuilder();
    double total = 0;
    for (String k : new String[] {"driver", "orchestrator", "postgres", "nats-server"}) {
      double s = (end.getOrDefault(k, 0L) - start.getOrDefault(k, 0L)) / TICKS_PER_SECOND;
      total += s;
      sb.append(String.format(Locale.ROOT, "%s %.1f s, ", k, s));
    }
    int cpus = Runtime.getRuntime().availableProcessors();
    sb.append(
        String.format(
            Locale.ROOT,
            "of %d × %.1f s wall (%.0f%% of the machine)",
            cpus,
            wall,
            100 * total / (cpus * wall)));
    return sb.toString();
  }

  private static Map<String, Long> snapshot() {
    Map<String, Long> m = new HashMap<>();
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return m;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path p : ds) {
        String stat;
        try {
          stat = Files.readString(p.resolve("stat"));
        } catch (IOException e) {
          continue; // exited
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < 0) {
          continue;
        }
        String comm = stat.substring(open + 1, close);
        String[] f = stat.substring(close + 2).split(" ", -1);
        String key;
        if (p.getFileName().toString().equals(SELF)) {
          key = "driver";
        } else if (f[1].equals(SELF) && comm.equals("java")) {
          key = "orchestrator"; // the orchestrator processes this benchmark started
        } else if (comm.equals("postgres")) {
          key = "postgres";
        } else if (comm.equals("nats-server")) {
          key = "nats-server";
        } else {
          continue;
        }
        // after "(comm) ": state(0) ... utime is field 14 of stat, i.e. index 11 here; stime 12
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (key.equals("postgres")) {
          // + cutime and cstime: the postmaster reaps its backends, so a backend that ends during
          // the interval (a dropped database's) moves its time there instead of vanishing.
          ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        }
        m.merge(key, ticks, Long::sum);
      }
    } catch (IOException e) {
      return new HashMap<>();
    }
    return m;
  }
}
