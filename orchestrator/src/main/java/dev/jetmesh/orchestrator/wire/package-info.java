/**
 * NATS request/reply plumbing: one subscription per subject family in a queue group, each request
 * handled on its own virtual thread, bodies checked and decoded strictly, replies in the
 * reference's {@code {ok,data}} envelope.
 */
@NullMarked
package dev.jetmesh.orchestrator.wire;

import org.jspecify.annotations.NullMarked;
