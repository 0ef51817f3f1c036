package dev.jetmesh.schema.model;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * The count behind a round's evaluation. Parse-failed reflections are counted in {@code
 * parseFailed} and in nothing else.
 *
 * @param reflections reflections received in the round
 * @param valid reflections that parsed (the votes)
 * @param convergedVotes valid votes {@code converged}
 * @param continueVotes valid votes {@code continue}
 * @param blockedVotes valid votes {@code blocked}
 * @param parseFailed reflections that failed to parse
 * @param metricPassed valid reflections reporting the metric passed
 * @param metricFailed valid reflections reporting the metric failed
 * @param coordinatorVote the coordinator's vote in the round, or null
 * @param bestScore the best metric score of the valid reflections, by the rule's direction; null
 *     when none reported one (and in tallies recorded before scores existed)
 */
public record CollabTally(
    int reflections,
    int valid,
    int convergedVotes,
    int continueVotes,
    int blockedVotes,
    int parseFailed,
    int metricPassed,
    int metricFailed,
    @Nullable Vote coordinatorVote,
    @Nullable BigDecimal bestScore) {}
