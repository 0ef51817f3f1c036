package dev.jetmesh.schema.model;

import org.jspecify.annotations.Nullable;

/**
 * How a session decides that it has converged (REFERENCE.md section 4.6).
 *
 * @param type the rule
 * @param threshold for {@code majority}: the share of valid votes that must be {@code converged}
 * @param metric the task's metric command, for the record; workers run it, never the orchestrator
 * @param minQuorum valid (not parse-failed) votes a round needs before it can converge
 * @param coordinator for {@code coordinator}: the node or user allowed to cast the deciding vote;
 *     null means the session's first member
 */
public record CollabConvergence(
    ConvergenceType type,
    double threshold,
    @Nullable String metric,
    int minQuorum,
    @Nullable String coordinator) {}
