/**
 * The {@code jetmesh} command line (picocli): {@code serve} (the default) and operator commands.
 */
package dev.jetmesh.orchestrator.cli;
