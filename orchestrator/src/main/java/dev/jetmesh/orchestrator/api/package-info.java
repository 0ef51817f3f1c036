/** The Javalin HTTP API: health and metrics now; the read API of tasks, rounds and plans later. */
package dev.jetmesh.orchestrator.api;
