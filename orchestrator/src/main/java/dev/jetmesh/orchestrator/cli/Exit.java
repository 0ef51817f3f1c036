package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import picocli.CommandLine;

/**
 * The exit codes of every {@code jetmesh} command (docs/cli.md, Exit codes), and the one place that
 * maps a failure to one. {@code serve} is the exception: it exits 2 on any start-up failure, since
 * a server that cannot start needs its operator, whatever the cause.
 */
final class Exit {
  /** Done. */
  static final int OK = 0;

  /**
   * The mesh refused (any coded refusal, not found included), or the answer is no: a watched task
   * failed, a replay or rebuild found a difference.
   */
  static final int REFUSED = 1;

  /** Bad command line, environment, or input file: fix the call. */
  static final int USAGE = 2;

  /** NATS or the read API cannot be reached, or the mesh cannot serve now: try again later. */
  static final int UNREACHABLE = 3;

  private Exit() {}

  /** The exit code of a command that threw {@code e}. */
  static int of(Throwable e) {
    if (e instanceof CommandLine.ParameterException) {
      return USAGE;
    }
    if (e instanceof UnreachableException) {
      return UNREACHABLE;
    }
    if (e instanceof RefusedException r) {
      return r.code() == ErrorCode.UNAVAILABLE ? UNREACHABLE : REFUSED;
    }
    if (e instanceof MeshException m) {
      // Thrown here, before anything was sent: what was typed or configured is wrong, unless a
      // dependency could not be reached (a replay connecting to NATS, a rebuild to Postgres).
      return m.code() == ErrorCode.UNAVAILABLE ? UNREACHABLE : USAGE;
    }
    return REFUSED;
  }
}
