/**
 * The event catalogue: one sealed interface of records per aggregate, each record annotated with
 * its stable JSON type name ({@link dev.jetmesh.schema.events.EventType}). The Java class names are
 * not part of the contract; the type names are. See docs/events.md.
 */
@NullMarked
package dev.jetmesh.schema.events;

import org.jspecify.annotations.NullMarked;
