/** The prompts a worker gives an LLM: the task, its criteria, verification, scope, retries. */
@NullMarked
package dev.jetmesh.worker.prompt;

import org.jspecify.annotations.NullMarked;
