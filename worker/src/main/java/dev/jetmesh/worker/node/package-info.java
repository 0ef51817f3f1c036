/**
 * This worker as a mesh node: what it reports about its machine when it joins ({@link
 * dev.jetmesh.worker.node.Machine#host}), and its health beat ({@link
 * dev.jetmesh.worker.node.HealthBeat}: CPU, memory, disk, providers, current task), published every
 * {@code MESH_HEALTH_INTERVAL} by the {@link dev.jetmesh.worker.node.HealthPublisher}. Everything
 * is measured with JDK APIs; no process is started. The join itself is the claim loop's first step.
 */
@NullMarked
package dev.jetmesh.worker.node;

import org.jspecify.annotations.NullMarked;
