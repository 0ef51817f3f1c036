/**
 * The Postgres connection pool, Jdbi and Flyway migrations (SQL lives in the top-level
 * migrations/).
 */
package dev.jetmesh.orchestrator.db;
