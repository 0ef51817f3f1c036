/**
 * The {@code jetmesh} command line (picocli): {@code serve} (the default) and operator commands.
 */
@NullMarked
package dev.jetmesh.orchestrator.cli;

import org.jspecify.annotations.NullMarked;
