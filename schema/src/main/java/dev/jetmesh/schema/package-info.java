/**
 * The contract of jetmesh: the event envelope and catalogue, subject names, identifier rules, the
 * request/reply records of the {@code mesh.*} wire protocol and the one configured Jackson mapper.
 * Everything here is shared by the orchestrator and the worker; nothing here talks to NATS or SQL.
 */
@NullMarked
package dev.jetmesh.schema;

import org.jspecify.annotations.NullMarked;
