package dev.jetmesh.orchestrator;

import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.task.TaskCommandHandler;
import dev.jetmesh.orchestrator.task.TaskQueries;
import io.nats.client.Connection;
import java.time.Clock;

/** What a {@link MeshModule} may use of the running orchestrator. */
public record MeshContext(
    OrchestratorConfig config,
    Connection nats,
    EventStore store,
    Database db,
    Clock clock,
    Watermark watermark,
    TaskCommandHandler tasks,
    TaskQueries taskQueries) {}
