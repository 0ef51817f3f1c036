package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.schema.model.CollabConvergence;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabTally;
import dev.jetmesh.schema.model.ConvergenceType;
import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.Vote;
import org.jspecify.annotations.Nullable;

/**
 * Where convergence is decided (REFERENCE.md section 4.6, current round only): whether a round's
 * {@link VoteTally tally} converged under the session's rule, one method per {@link
 * ConvergenceType}, and what follows the evaluation. Stateless.
 */
public final class Convergence {
  /** Outcomes of an evaluated round, as {@code collab.round_evaluated} records them. */
  public static final String CONVERGED = "converged";

  public static final String MAX_ROUNDS = "max_rounds";
  public static final String NEXT_ROUND = "next_round";

  private Convergence() {}

  /**
   * Whether a round with tally {@code t} converged under {@code rule}. Every type needs a
   * reflection and {@code min_quorum} valid votes; parse failures never count as votes.
   */
  public static boolean converged(CollabConvergence rule, CollabTally t) {
    if (t.reflections() < 1 || t.valid() < rule.minQuorum()) {
      return false;
    }
    return switch (rule.type()) {
      case UNANIMOUS -> unanimous(t);
      case MAJORITY -> majority(t, rule.threshold());
      case COORDINATOR -> t.coordinatorVote() == Vote.CONVERGED;
      case METRIC -> metric(rule, t);
    };
  }

  /** No parse failures, and every vote is {@code converged}. */
  private static boolean unanimous(CollabTally t) {
    return t.parseFailed() == 0 && t.valid() > 0 && t.convergedVotes() == t.valid();
  }

  /** At least {@code threshold} of the valid votes are {@code converged}. */
  private static boolean majority(CollabTally t, double threshold) {
    return t.valid() > 0 && (double) t.convergedVotes() / t.valid() >= threshold;
  }

  /**
   * With a score target (the task's {@code metric_threshold}) and at least one score in the round:
   * the round's best score meets it, since each member runs the metric on its own worktree, one
   * member's work reaching the target is work that meets the task. Otherwise, as before scores:
   * every valid reflection reports the metric passed.
   */
  private static boolean metric(CollabConvergence rule, CollabTally t) {
    if (rule.scoreThreshold() != null && t.bestScore() != null) {
      return MetricDirection.orDefault(rule.scoreDirection())
          .meets(t.bestScore(), rule.scoreThreshold());
    }
    return t.metricPassed() >= 1 && t.metricPassed() == t.valid();
  }

  /**
   * Whether a round whose members have all reflected must still wait: under {@code coordinator}
   * convergence, for the coordinator's vote, until the round times out. With no one left to vote
   * ({@code coordinator} null: no live member and none named) it does not wait.
   */
  public static boolean awaitsCoordinator(
      CollabConvergence rule, CollabRound round, @Nullable String coordinator, boolean timedOut) {
    return rule.type() == ConvergenceType.COORDINATOR
        && round.coordinatorVote() == null
        && coordinator != null
        && !timedOut;
  }

  /** What follows an evaluation: {@code converged}, {@code max_rounds} or {@code next_round}. */
  public static String outcome(boolean converged, int round, int maxRounds) {
    if (converged) {
      return CONVERGED;
    }
    return round >= maxRounds ? MAX_ROUNDS : NEXT_ROUND;
  }
}
