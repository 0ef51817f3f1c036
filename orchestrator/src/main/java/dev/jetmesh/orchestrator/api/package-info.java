/**
 * The Javalin HTTP API: {@code /health}, {@code /metrics} and the routes each module adds; errors
 * as problem+json with their code.
 */
package dev.jetmesh.orchestrator.api;
