/** Configuration read from the environment, validated once at start-up. */
@NullMarked
package dev.jetmesh.orchestrator.config;

import org.jspecify.annotations.NullMarked;
