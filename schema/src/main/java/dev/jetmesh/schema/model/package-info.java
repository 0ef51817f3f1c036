/**
 * Value types shared by events, wire replies and read models: the task as the reference shapes it,
 * its specification, attempts and references to stored output.
 */
@NullMarked
package dev.jetmesh.schema.model;

import org.jspecify.annotations.NullMarked;
