/**
 * Plans (docs/plans.md): the task graph and its waves, decider and evolver, progress, projection,
 * queries, reactor and the {@code mesh.plans.*} routes.
 */
@NullMarked
package dev.jetmesh.orchestrator.plan;

import org.jspecify.annotations.NullMarked;
