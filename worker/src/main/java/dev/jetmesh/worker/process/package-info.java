/**
 * Child processes: every LLM CLI, metric and git command is started here from an argument vector,
 * with stdin closed, a filtered environment, output captured to files, a timeout, and the whole
 * process tree killed on timeout or on request; where setpriv is available, the child itself is
 * killed when the worker dies ({@code Lifeline}). Nothing here ever builds a shell string.
 */
@NullMarked
package dev.jetmesh.worker.process;

import org.jspecify.annotations.NullMarked;
