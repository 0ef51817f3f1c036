/**
 * The projector: a durable pull consumer that applies events to Postgres in one transaction per
 * batch together with the checkpoint, acknowledging after commit, so that every event has exactly
 * one effect. Also the watermark other parts wait on for read-your-writes.
 */
@NullMarked
package dev.jetmesh.orchestrator.projection;

import org.jspecify.annotations.NullMarked;
