/**
 * What every aggregate shares: {@link dev.jetmesh.orchestrator.aggregate.AggregateRepository} (load
 * from the stream or a sequence-checked cache, decide, append with the expected sequence, retry on
 * conflict), {@link dev.jetmesh.orchestrator.aggregate.Decision} and the refusal exception. The
 * task, collab and plan packages plug in their own evolve and decide functions.
 */
@NullMarked
package dev.jetmesh.orchestrator.aggregate;

import org.jspecify.annotations.NullMarked;
