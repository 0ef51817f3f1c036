/**
 * Collaboration sessions (docs/collab.md): rounds, reflections, votes and convergence, their
 * decider and evolver, projection, queries, reactor, replay and the {@code mesh.collab.*} routes.
 */
@NullMarked
package dev.jetmesh.orchestrator.collab;

import org.jspecify.annotations.NullMarked;
