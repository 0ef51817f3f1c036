package dev.jetmesh.orchestrator.testing.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory of a JVM process, seen from outside: its resident set ({@code VmRSS} of {@code
 * /proc/<pid>/status}) and its live heap (used after a full GC, from {@code jcmd GC.heap_info} of
 * this JDK). -1 where a figure cannot be read (another OS, another user's process).
 */
record ProcessStats(long rssKb, long heapUsedKb, long heapCommittedKb) {
  private static final Pattern HEAP = Pattern.compile("(?:total|committed) (\\d+)K, used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  static ProcessStats of(long pid) {
    long rss = -1;
    try {
      Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      if (m.find()) {
        rss = Long.parseLong(m.group(1));
      }
    } catch (IOException e) {
      // not Linux, or gone
    }
    jcmd(pid, "GC.run");
    Matcher h = HEAP.matcher(jcmd(pid, "GC.heap_info"));
    return h.find()
        ? new ProcessStats(rss, Long.parseLong(h.group(2)), Long.parseLong(h.group(1)))
        : new ProcessStats(rss, -1, -1);
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p =
          new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  String describe() {
    return "RSS "
        + mb(rssKb)
        + ", live heap "
        + mb(heapUsedKb)
        + " (committed "
        + mb(heapCommittedKb)
        + ")";
  }

  private static String mb(long kb) {
    return kb < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f MB", kb / 1024.0);
  }
}
