package dev.jetmesh.worker.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What the JDK can tell about this machine, without starting a process: the load, the memory, the
 * disk holding the workspace, and the facts a node reports when it joins. Stateless and
 * thread-safe.
 */
public final class Machine {
  private Machine() {}

  /**
   * One measurement.
   *
   * @param load1 the system load average over the last minute, or null where the platform has none
   * @param cores processors available to the JVM
   * @param cpuPercent recent CPU use of the whole machine (0-100), or null when not measured yet
   * @param memTotalBytes physical memory
   * @param memFreeBytes physical memory free (not counting caches the kernel could drop)
   * @param diskTotalBytes size of the file system of the workspace
   * @param diskUsableBytes what this process may still write there
   * @param uptime how long the worker has been running
   */
  public record Measures(
      @Nullable Double load1,
      int cores,
      @Nullable Double cpuPercent,
      long memTotalBytes,
      long memFreeBytes,
      long diskTotalBytes,
      long diskUsableBytes,
      Duration uptime) {}

  /** Measures now; {@code disk} is a path on the file system to measure (the workspace). */
  public static Measures measure(Path disk) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    double load = os.getSystemLoadAverage();
    Double cpu = null;
    long memTotal = 0;
    long memFree = 0;
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      double c = sun.getCpuLoad();
      cpu = c < 0 ? null : Math.round(c * 1000) / 10.0;
      memTotal = sun.getTotalMemorySize();
      memFree = sun.getFreeMemorySize();
    }
    File f = disk.toFile();
    return new Measures(
        load < 0 ? null : Math.round(load * 100) / 100.0,
        os.getAvailableProcessors(),
        cpu,
        memTotal,
        memFree,
        f.getTotalSpace(),
        f.getUsableSpace(),
        Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime()));
  }

  /** The operating system's name, lower-cased: {@code linux}, {@code mac os x}, ... */
  public static String platform() {
    return ManagementFactory.getOperatingSystemMXBean().getName().toLowerCase(Locale.ROOT);
  }

  /**
   * What a node says about its machine when it joins: facts that do not change while it runs, so
   * that joining again after a restart is recognised as the same join and appends nothing.
   */
  public static ObjectNode host(String hostname) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    ObjectNode host = Json.mapper().createObjectNode();
    host.put("hostname", hostname);
    host.put("platform", platform());
    host.put("os_version", os.getVersion());
    host.put("arch", os.getArch());
    host.put("cores", os.getAvailableProcessors());
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      host.put("mem_total_bytes", sun.getTotalMemorySize());
    }
    host.put("java_version", Runtime.version().toString());
    return host;
  }
}
