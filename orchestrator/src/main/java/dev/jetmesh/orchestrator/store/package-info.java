/**
 * The only package that talks to JetStream for events: stream set-up, optimistic appends guarded by
 * {@code Nats-Expected-Last-Subject-Sequence} and deduplicated by {@code Nats-Msg-Id}, and reads of
 * one aggregate's history.
 */
@NullMarked
package dev.jetmesh.orchestrator.store;

import org.jspecify.annotations.NullMarked;
