package dev.jetmesh.worker.git;

/**
 * The outcome of merging a task branch into the workspace.
 *
 * @param merged true when the workspace now contains the work
 * @param conflict true when the merge failed twice; the branch is kept for a human
 * @param detail the end of git's output when the merge failed, else empty
 */
public record MergeResult(boolean merged, boolean conflict, String detail) {}
