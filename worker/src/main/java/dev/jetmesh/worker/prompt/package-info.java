/** The prompts a worker gives an LLM: the task, its criteria, verification, scope, retries. */
package dev.jetmesh.worker.prompt;
