/**
 * The only package that talks to JetStream: stream set-up, optimistic appends guarded by {@code
 * Nats-Expected-Last-Subject-Sequence} and deduplicated by {@code Nats-Msg-Id}, reads of one
 * aggregate's history ({@link dev.jetmesh.orchestrator.store.EventStore}), and the projector's
 * durable consumer ({@link dev.jetmesh.orchestrator.store.EventFeed}). Enforced by {@code
 * ArchitectureTest}.
 */
@NullMarked
package dev.jetmesh.orchestrator.store;

import org.jspecify.annotations.NullMarked;
