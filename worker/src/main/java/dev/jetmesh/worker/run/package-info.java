/**
 * Running one claimed task: the attempt loop (prompt, provider run, metric, report, revert,
 * backoff), heartbeats, and the control that lets a stall notice, a budget notice, a lost claim or
 * a shutdown stop a run from another thread.
 */
@NullMarked
package dev.jetmesh.worker.run;

import org.jspecify.annotations.NullMarked;
