/**
 * Git isolation: one worktree and branch per task, reverting a failed attempt, committing and
 * merging a successful one. Every git command is an argument vector; commit messages, branch names
 * and paths never pass through a shell.
 */
@NullMarked
package dev.jetmesh.worker.git;

import org.jspecify.annotations.NullMarked;
