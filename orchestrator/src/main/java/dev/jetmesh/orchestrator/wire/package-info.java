/**
 * Core NATS plumbing: one subscription per subject family in a queue group, each request handled on
 * its own virtual thread, bodies checked and decoded strictly, replies in the reference's {@code
 * {ok,data}} envelope with an error code ({@link dev.jetmesh.orchestrator.wire.ErrorReplies}), and
 * the {@link dev.jetmesh.orchestrator.wire.MeshBus} aggregates notify through.
 */
@NullMarked
package dev.jetmesh.orchestrator.wire;

import org.jspecify.annotations.NullMarked;
