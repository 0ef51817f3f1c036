/**
 * Test fixtures shared by the orchestrator's, the worker's and the benchmark's tests: a fresh
 * Postgres database per test class, a private {@code nats-server} per test class, an orchestrator
 * in-process or as a real process, and a small request/reply client. Local services configured by
 * environment variables are used where present; Testcontainers where a Docker engine is. And {@link
 * dev.jetmesh.orchestrator.testing.Property}, a small property-test harness (seeded inputs,
 * shrinking, a seed that repeats a failure) for rules tested without I/O.
 */
package dev.jetmesh.orchestrator.testing;
