package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabTally;
import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.ReflectionVote;
import dev.jetmesh.schema.model.Vote;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Where a round's votes are counted (REFERENCE.md section 4.6): a reflection that failed to parse
 * is counted as a parse failure and nothing else; every other reflection is one valid vote, and
 * reports the metric passed, failed, or nothing, and maybe a score. Whether the count converges is
 * {@link Convergence}'s. Stateless.
 */
public final class VoteTally {
  private VoteTally() {}

  /** The count of {@code round}'s reflections, the best score being the highest. */
  public static CollabTally of(CollabRound round) {
    return of(round, null);
  }

  /**
   * The count of {@code round}'s reflections, with its coordinator vote and the best score of its
   * valid reflections by {@code direction} (null reads as higher).
   */
  public static CollabTally of(CollabRound round, @Nullable MetricDirection direction) {
    MetricDirection dir = MetricDirection.orDefault(direction);
    BigDecimal best = null;
    int valid = 0;
    int converged = 0;
    int cont = 0;
    int blocked = 0;
    int failed = 0;
    int passed = 0;
    int metricFailed = 0;
    for (CollabReflection r : round.reflections()) {
      if (r.parseFailed()) {
        failed++;
        continue;
      }
      valid++;
      switch (r.vote()) {
        case Vote.CONVERGED -> converged++;
        case Vote.BLOCKED -> blocked++;
        case Vote.CONTINUE -> cont++;
        case ReflectionVote.Unparsed u -> throw new AssertionError("a parsed reflection votes");
      }
      best = dir.best(best, r.metricScore());
      if (Boolean.TRUE.equals(r.metricPassed())) {
        passed++;
      } else if (Boolean.FALSE.equals(r.metricPassed())) {
        metricFailed++;
      }
    }
    return new CollabTally(
        round.reflections().size(),
        valid,
        converged,
        cont,
        blocked,
        failed,
        passed,
        metricFailed,
        round.coordinatorVote(),
        best);
  }
}
