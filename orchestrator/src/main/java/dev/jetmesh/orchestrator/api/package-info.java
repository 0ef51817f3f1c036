/**
 * The Javalin HTTP API: {@code /health}, {@code /metrics} and the routes each module adds; errors
 * as problem+json with their code.
 */
@NullMarked
package dev.jetmesh.orchestrator.api;

import org.jspecify.annotations.NullMarked;
