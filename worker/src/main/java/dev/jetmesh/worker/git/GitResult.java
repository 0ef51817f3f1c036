package dev.jetmesh.worker.git;

/** Exit status and combined output of one git command. */
public record GitResult(int exitCode, String output) {
  public boolean ok() {
    return exitCode == 0;
  }
}
