package dev.jetmesh.orchestrator;

import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.task.TaskCommandHandler;
import dev.jetmesh.orchestrator.task.TaskQueries;
import dev.jetmesh.schema.model.Task;
import io.nats.client.Connection;
import java.time.Clock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link MeshModule} may use of the running orchestrator. {@code projectedTask} gives a task
 * as the projector last committed it, or null when the projector does not hold it in memory.
 */
public record MeshContext(
    OrchestratorConfig config,
    Connection nats,
    EventStore store,
    Database db,
    Clock clock,
    Watermark watermark,
    TaskCommandHandler tasks,
    TaskQueries taskQueries,
    Function<String, @Nullable Task> projectedTask) {}
