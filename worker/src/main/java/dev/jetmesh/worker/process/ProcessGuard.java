package dev.jetmesh.worker.process;

/**
 * Something that may need to kill a running child from another thread (a stall notice, a shutdown).
 * {@link ProcessRunner} attaches each child it starts and detaches it when it ends. Implementations
 * must be thread-safe: attach and detach run on the runner's thread, the kill on whichever thread
 * decides to stop.
 */
public interface ProcessGuard {
  /** Called once the child has started. If the guard has already been stopped, kill it now. */
  void attach(Process process);

  /** Called once the child has exited. */
  void detach(Process process);

  /** True once the guard asked for its children to be killed. */
  boolean stopRequested();

  /** A guard that never stops anything. */
  ProcessGuard NONE =
      new ProcessGuard() {
        @Override
        public void attach(Process process) {}

        @Override
        public void detach(Process process) {}

        @Override
        public boolean stopRequested() {
          return false;
        }
      };
}
