/**
 * Request and reply records of the {@code mesh.*} request/reply subjects (REFERENCE.md section 1).
 * Field names and error strings are the reference's; {@code node_id} and {@code claim_token} on
 * worker commands are jetmesh additions that legacy clients may omit.
 */
@NullMarked
package dev.jetmesh.schema.wire;

import org.jspecify.annotations.NullMarked;
