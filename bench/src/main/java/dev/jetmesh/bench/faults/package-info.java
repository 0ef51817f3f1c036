/**
 * The fault suite (docs/faults.md): real orchestrator and worker processes, a private nats-server
 * and a private Postgres cluster, faults injected while a wire load client records every
 * acknowledged command, then an audit of the stream against the read models.
 */
@NullMarked
package dev.jetmesh.bench.faults;

import org.jspecify.annotations.NullMarked;
