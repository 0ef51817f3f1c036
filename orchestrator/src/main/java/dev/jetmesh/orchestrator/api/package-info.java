/**
 * The Javalin HTTP API: {@code /health}, {@code /ready}, {@code /metrics}, {@code /openapi.json},
 * the server-sent event stream and the read routes each module adds; what every route shares (query
 * parameters, keyset cursors, pages, problem+json errors, the bearer token). Names no aggregate.
 */
@NullMarked
package dev.jetmesh.orchestrator.api;

import org.jspecify.annotations.NullMarked;
