/**
 * The Postgres connection pool, Jdbi and Flyway migrations (SQL lives in the top-level
 * migrations/).
 */
@NullMarked
package dev.jetmesh.orchestrator.db;

import org.jspecify.annotations.NullMarked;
