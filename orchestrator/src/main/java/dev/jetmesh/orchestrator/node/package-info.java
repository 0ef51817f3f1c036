/**
 * The node aggregate (docs/architecture.md, "One shape per aggregate"): workers join with a signed
 * token ({@code mesh.nodes.join}), publish health beats ({@code mesh.health.<node>}) that update
 * the {@code nodes} read model in place, go stale and come back (events on a change of liveness
 * only), and can be removed, after which their held task is requeued and they are refused. Other
 * aggregates see nodes only through {@link dev.jetmesh.orchestrator.module.NodePort}.
 */
@NullMarked
package dev.jetmesh.orchestrator.node;

import org.jspecify.annotations.NullMarked;
