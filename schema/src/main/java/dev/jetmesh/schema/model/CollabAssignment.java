package dev.jetmesh.schema.model;

import java.util.List;

/**
 * What one node is asked to do in a round (REFERENCE.md section 4.3).
 *
 * @param nodeId the member
 * @param role {@code leader}, {@code reviewer} or the role the node joined with ({@code worker})
 * @param scope the paths it may touch; {@code [REVIEW-ONLY] <path>} entries are read-only
 */
public record CollabAssignment(String nodeId, String role, List<String> scope) {
  public CollabAssignment {
    scope = List.copyOf(scope);
  }
}
