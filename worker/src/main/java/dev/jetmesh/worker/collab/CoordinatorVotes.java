package dev.jetmesh.worker.collab;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.worker.mesh.CollabWire;
import org.jspecify.annotations.Nullable;

/**
 * This member's part in {@code coordinator} convergence: after each of its reflections it keeps the
 * {@link CoordinatorVerdict} of that round, and casts it ({@code mesh.collab.vote}) when the
 * orchestrator names this node the round's coordinator. The other members cast no extra vote: the
 * rule reads only the coordinator's, and their reflection votes are recorded in the tally anyway.
 *
 * <p>The seat is the orchestrator's to give (the spec's {@code convergence.coordinator}, else the
 * first live member) and can pass on within a round, when the coordinator leaves or is marked dead,
 * to a member that already reflected. A vote can also be lost (no answer). So on every periodic
 * assignment check, a member that reflected on the open round, is named its coordinator and sees no
 * vote recorded casts its verdict again: a missing vote costs one check interval, not the round
 * timeout. Not thread-safe: one per session, used on the round loop's thread.
 */
final class CoordinatorVotes {
  private final SessionRequests session;
  private final String nodeId;
  private int round;
  private @Nullable CoordinatorVerdict verdict;

  CoordinatorVotes(SessionRequests session, String nodeId) {
    this.session = requireNonNull(session, "null session");
    this.nodeId = requireNonNull(nodeId, "null nodeId");
  }

  /** This node's reflection {@code r} on {@code round} was stored (or may have been). */
  void reflected(CollabWire.Round round, Reflection r) {
    this.round = round.roundNumber();
    this.verdict = CoordinatorVerdict.of(r);
    if (nodeId.equals(round.coordinator())) {
      session.vote(this.round, verdict);
    }
  }

  /** An assignment read on the periodic check: casts the verdict when the round still needs it. */
  void check(CollabWire.Round assignment) {
    if (verdict != null
        && assignment.roundNumber() == round
        && Boolean.TRUE.equals(assignment.reflected())
        && nodeId.equals(assignment.coordinator())
        && Boolean.FALSE.equals(assignment.coordinatorVoted())) {
      session.vote(round, verdict);
    }
  }
}
