/**
 * Everything the worker says to and hears from NATS: the {@code mesh.tasks.*} requests (always
 * carrying node id and claim token), the object store that keeps full run transcripts, and the
 * agent subjects it serves ({@code mesh.agent.<node>.alive}, {@code .stall}, {@code
 * .budget_exceeded}). The only package that imports {@code io.nats}.
 */
@NullMarked
package dev.jetmesh.worker.mesh;

import org.jspecify.annotations.NullMarked;
