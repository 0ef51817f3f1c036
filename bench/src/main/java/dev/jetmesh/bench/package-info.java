/** The load driver and projector benchmark (docs/benchmarks.md); not part of any shipped jar. */
@NullMarked
package dev.jetmesh.bench;

import org.jspecify.annotations.NullMarked;
