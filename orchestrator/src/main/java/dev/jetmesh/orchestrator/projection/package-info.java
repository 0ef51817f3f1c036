/**
 * The generic projector: applies the stream to Postgres in one transaction per batch together with
 * the checkpoint, acknowledging after commit, so that every event has exactly one effect. It routes
 * each event to the {@link dev.jetmesh.orchestrator.projection.Projection} its module registered
 * and names none of them. Also the watermark other parts wait on for read-your-writes, and {@link
 * dev.jetmesh.orchestrator.projection.Rebuild}: the same parts from sequence 0, compared table by
 * table with what was there.
 */
@NullMarked
package dev.jetmesh.orchestrator.projection;

import org.jspecify.annotations.NullMarked;
