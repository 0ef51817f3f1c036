package dev.jetmesh.worker.process;

import java.util.List;

/** Killing a process together with everything it started. Stateless and thread-safe. */
public final class ProcessTrees {
  private ProcessTrees() {}

  /**
   * Kills {@code root} and its descendants with SIGKILL. Descendants are listed before the root
   * dies because an orphan is re-parented and can no longer be found from the root; they are listed
   * twice so that a child forked between the first listing and the kills is caught too. A process
   * that has put itself in another session and re-parented itself (a daemon) escapes: that needs a
   * cgroup, which this worker does not manage.
   */
  public static void kill(ProcessHandle root) {
    List<ProcessHandle> first = root.descendants().toList();
    first.forEach(ProcessHandle::destroyForcibly);
    List<ProcessHandle> second = root.descendants().toList();
    root.destroyForcibly();
    second.forEach(ProcessHandle::destroyForcibly);
  }
}
