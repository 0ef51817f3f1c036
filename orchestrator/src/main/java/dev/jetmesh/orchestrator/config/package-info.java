/** Configuration read from the environment, validated once at start-up. */
package dev.jetmesh.orchestrator.config;
