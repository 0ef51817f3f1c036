/**
 * {@code .ci/hostile}: the hostile-input generator of the orchestrator's test fixtures ({@code
 * dev.jetmesh.orchestrator.testing.hostile}) run against the orchestrator jar as users run it, with
 * a private nats-server and a fresh database, its figures printed and written to {@code
 * bench/target/hostile-results.md} (docs/hostile-input.md).
 */
@NullMarked
package dev.jetmesh.bench.hostile;

import org.jspecify.annotations.NullMarked;
