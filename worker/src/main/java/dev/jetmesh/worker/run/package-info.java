/**
 * What a task's work and a collaboration's rounds share: the {@link
 * dev.jetmesh.worker.run.AttemptRunner} that runs the provider's CLI in a worktree and checks the
 * task's metric (the only code that starts either), the {@link dev.jetmesh.worker.run.TaskControl}
 * that lets a stall notice, a budget notice, a lost claim or a shutdown stop a run from another
 * thread, heartbeats, retry delays and the settings a run needs.
 */
@NullMarked
package dev.jetmesh.worker.run;

import org.jspecify.annotations.NullMarked;
