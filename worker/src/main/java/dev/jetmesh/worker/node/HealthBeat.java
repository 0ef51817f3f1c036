package dev.jetmesh.worker.node;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The object a node publishes on {@code mesh.health.<node>}, in snake_case JSON: the reference
 * health publisher's fields that mean something here ({@code node_id}, {@code platform}, {@code
 * role}, {@code mem}, {@code disk_percent}, {@code uptime_seconds}, {@code agent}, {@code
 * capabilities}, {@code reported_at}) plus the CPU, the disk in bytes, the providers the node can
 * run, and {@code current_task}, which the orchestrator reads (the rest it stores as sent).
 * Immutable.
 *
 * @param platform the operating system's name, lower-cased ({@code linux})
 * @param role always {@code worker} (the reference's token role)
 * @param diskPercent how full the workspace's file system is (0-100), or null when unknown
 * @param uptimeSeconds how long the worker process has been running
 * @param providers the providers this node offers, its default first
 * @param currentTask the task being worked on, or null when idle
 * @param reportedAt the worker's clock (the orchestrator records its own time of receipt)
 */
public record HealthBeat(
    String nodeId,
    String platform,
    String role,
    Cpu cpu,
    Mem mem,
    @Nullable Integer diskPercent,
    Disk disk,
    long uptimeSeconds,
    List<String> providers,
    List<String> capabilities,
    Agent agent,
    @Nullable String currentTask,
    Instant reportedAt) {

  public HealthBeat {
    requireNonNull(nodeId, "null nodeId");
    providers = List.copyOf(providers);
    capabilities = List.copyOf(capabilities);
  }

  /**
   * CPU measures.
   *
   * @param load1 load average over one minute, or null
   * @param cores processors available
   * @param percent recent CPU use of the machine (0-100), or null
   */
  public record Cpu(@Nullable Double load1, int cores, @Nullable Double percent) {}

  /** Physical memory, and how much of it is free. */
  public record Mem(long totalBytes, long freeBytes) {}

  /** The workspace's file system. */
  public record Disk(String path, long totalBytes, long usableBytes) {}

  /**
   * What the node is doing.
   *
   * @param status {@code busy} with a task, else {@code idle}
   * @param llm the default provider
   */
  public record Agent(String status, @Nullable String currentTask, @Nullable String llm) {}

  /** What stays the same from one beat to the next. */
  public record Facts(
      String nodeId,
      String platform,
      String workspace,
      List<String> providers,
      List<String> capabilities) {
    public Facts {
      requireNonNull(nodeId, "null nodeId");
      providers = List.copyOf(providers);
      capabilities = List.copyOf(capabilities);
    }
  }

  /** The beat of a node with these facts and measures, working on {@code currentTask}. */
  public static HealthBeat of(
      Facts facts, Machine.Measures m, Optional<String> currentTask, Instant now) {
    String task = currentTask.orElse(null);
    long used = m.diskTotalBytes() - m.diskUsableBytes();
    Integer diskPercent =
        m.diskTotalBytes() <= 0 ? null : (int) Math.round(100.0 * used / m.diskTotalBytes());
    return new HealthBeat(
        facts.nodeId(),
        facts.platform(),
        "worker",
        new Cpu(m.load1(), m.cores(), m.cpuPercent()),
        new Mem(m.memTotalBytes(), m.memFreeBytes()),
        diskPercent,
        new Disk(facts.workspace(), m.diskTotalBytes(), m.diskUsableBytes()),
        m.uptime().toSeconds(),
        facts.providers(),
        facts.capabilities(),
        new Agent(
            task == null ? "idle" : "busy",
            task,
            facts.providers().isEmpty() ? null : facts.providers().get(0)),
        task,
        now);
  }
}
