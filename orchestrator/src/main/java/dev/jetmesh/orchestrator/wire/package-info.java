/**
 * NATS request/reply plumbing: one subscription per subject family in a queue group, each request
 * handled on its own virtual thread, bodies checked and decoded strictly, replies in the
 * reference's {@code {ok,data}} envelope.
 */
package dev.jetmesh.orchestrator.wire;
