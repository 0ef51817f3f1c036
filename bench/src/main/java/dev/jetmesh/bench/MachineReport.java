package dev.jetmesh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

/** The report's machine section: what the figures were measured on and how busy it was. */
final class MachineReport {
  private MachineReport() {}

  /** nats-server's version, then PostgreSQL's. */
  static String[] versions(Mesh m) {
    String nats = m.admin().getServerInfo().getVersion();
    String pg = "? (external mesh)";
    if (!m.external()) {
      try (java.sql.Connection conn = m.db().connect();
          Statement s = conn.createStatement();
          ResultSet rs = s.executeQuery("SHOW server_version")) {
        rs.next();
        pg = rs.getString(1);
      } catch (Exception e) {
        pg = "? (" + e.getMessage() + ")";
      }
    }
    return new String[] {nats, pg};
  }

  static void append(
      Report report, BenchConfig c, String[] versions, double seconds, String loadAtStart) {
    report.md().append("## Machine\n\n| | |\n|---|---|\n");
    report.row("CPUs (nproc)", String.valueOf(Runtime.getRuntime().availableProcessors()));
    report.row("CPU", cpuModel());
    report.row("memory", memTotal());
    report.row(
        "Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    report.row(
        "nats-server",
        versions[0] + (c.natsUrl() == null ? " (private, file store)" : " at " + c.natsUrl()));
    report.row("PostgreSQL", versions[1]);
    report.row(
        "layout",
        c.external()
            ? "external orchestrator; load driver in this JVM"
            : "end-to-end, depth, reads and scale-out: each orchestrator its own process (java -jar …"
                + " serve), the load driver in the benchmark's JVM; projector and rebuild: the"
                + " projector in the benchmark's JVM beside its raw baseline; NATS (private) and"
                + " Postgres on loopback");
    report.row("bench runtime", String.format(Locale.ROOT, "%.0f s", seconds));
    report.row(
        "load average (1, 5, 15 min) at start / at end", loadAtStart + " / " + loadAverage());
    report.md().append('\n');
  }

  /** /proc/loadavg's first three fields: anything else running on the machine skews the figures. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ", -1);
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "?";
  }

  private static String memTotal() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return "?";
  }
}
