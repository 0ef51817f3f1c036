/**
 * End-to-end tests of the worker: real worker processes against a real orchestrator, nats-server,
 * Postgres and git, with the fake LLM CLI of {@code src/test/resources/fake-llm}. Each class owns
 * one {@code TestMesh}; each test its own workspace repository and worker processes.
 */
package dev.jetmesh.worker.e2e;
