/**
 * The jetmesh orchestrator: validates commands, appends events, projects them into Postgres and
 * takes decisions (budgets, stalls) from the read models. {@link
 * dev.jetmesh.orchestrator.Orchestrator} wires the parts; each subpackage owns one concern.
 */
@NullMarked
package dev.jetmesh.orchestrator;

import org.jspecify.annotations.NullMarked;
