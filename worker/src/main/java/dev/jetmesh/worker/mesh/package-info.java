/**
 * Everything the worker says to and hears from NATS: the connection itself ({@link
 * dev.jetmesh.worker.mesh.MeshLink}: options, reconnects, error logging), the {@code mesh.tasks.*}
 * and {@code mesh.collab.*} requests (always carrying node id and claim token), the node's {@code
 * mesh.nodes.join} and {@code mesh.health.<node>} beats, the object store that keeps full run
 * transcripts, and the agent subjects it serves ({@code mesh.agent.<node>.alive}, {@code .stall},
 * {@code .budget_exceeded}). The only package that imports {@code io.nats} (an ArchUnit rule holds
 * it to that); the others see the interfaces {@link dev.jetmesh.worker.mesh.TaskCommands}, {@link
 * dev.jetmesh.worker.mesh.CollabCommands}, {@link dev.jetmesh.worker.mesh.NodeCommands} and {@link
 * dev.jetmesh.worker.mesh.OutputSink}. Subjects come from {@code dev.jetmesh.schema.Subjects}.
 */
@NullMarked
package dev.jetmesh.worker.mesh;

import org.jspecify.annotations.NullMarked;
