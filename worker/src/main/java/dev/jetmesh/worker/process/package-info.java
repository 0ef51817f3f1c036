/**
 * Child processes: every LLM CLI, metric and git command is started here from an argument vector,
 * with stdin closed, a filtered environment, output captured to files, a timeout, and the whole
 * process tree killed on timeout or on request, or when the worker dies ({@code Lifeline}). Nothing
 * here ever builds a shell string: the one script, Lifeline's supervisor, is a constant, and the
 * program and its arguments reach it as positional parameters.
 */
@NullMarked
package dev.jetmesh.worker.process;

import org.jspecify.annotations.NullMarked;
