/** The Javalin HTTP API: health and metrics now; the read API of tasks, rounds and plans later. */
@NullMarked
package dev.jetmesh.orchestrator.api;

import org.jspecify.annotations.NullMarked;
