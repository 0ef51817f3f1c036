/**
 * The module contract: what an aggregate's package plugs into the orchestrator ({@link
 * dev.jetmesh.orchestrator.module.MeshModule}), what it may use of the running orchestrator ({@link
 * dev.jetmesh.orchestrator.module.MeshContext}), and the ports through which other aggregates act
 * on tasks ({@link dev.jetmesh.orchestrator.module.TaskPort}) and ask about nodes ({@link
 * dev.jetmesh.orchestrator.module.NodePort}). The projector, the wire router and the HTTP API see
 * modules only through this package; none of them names an aggregate.
 */
@NullMarked
package dev.jetmesh.orchestrator.module;

import org.jspecify.annotations.NullMarked;
