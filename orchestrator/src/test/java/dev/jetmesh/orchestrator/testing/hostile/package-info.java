/**
 * Hostile input at scale: a seeded generator of malformed and adversarial requests for every wire
 * subject and HTTP route of a running orchestrator ({@link
 * dev.jetmesh.orchestrator.testing.hostile.HostileRun}), what it sends them with, and the figures
 * it reports: requests per subject and route, replies by error code, every reply that is not a
 * coded refusal, and whether the event stream or any read-model table changed. Used by {@code
 * HostileInputIT} and by the bench's {@code .ci/hostile}.
 */
@NullMarked
package dev.jetmesh.orchestrator.testing.hostile;

import org.jspecify.annotations.NullMarked;
