/** Test fixtures: real git repositories, the fake LLM script, tasks, a recording orchestrator. */
package dev.jetmesh.worker.testing;
