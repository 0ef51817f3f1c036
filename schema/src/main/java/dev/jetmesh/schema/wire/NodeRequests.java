package dev.jetmesh.schema.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.Node;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Requests and replies of the {@code mesh.nodes.*} subjects, jetmesh's own (the reference kept
 * nodes outside the protocol). Fields are boxed so that a missing field can be told from a zero;
 * validation lives in the orchestrator.
 */
public final class NodeRequests {
  private NodeRequests() {}

  /**
   * {@code mesh.nodes.join}: a worker announces itself.
   *
   * @param token the join token ({@code jetmesh join-token}); required when the mesh has a join
   *     secret
   * @param providers the LLM providers the node can run
   * @param capabilities free-form tags (e.g. {@code gpu}, {@code docker})
   * @param host what the worker reports about its machine: a JSON object (hostname, platform, …)
   */
  public record Join(
      String nodeId,
      @Nullable String token,
      List<String> providers,
      List<String> capabilities,
      JsonNode host) {}

  /** {@code mesh.nodes.get}. */
  public record Ref(String nodeId) {}

  /** {@code mesh.nodes.list}. */
  public record ListNodes(String status) {}

  /**
   * {@code mesh.nodes.remove}. {@code force}: remove a node nothing knows (it never joined nor held
   * a task), which is otherwise refused as not found.
   */
  public record Remove(String nodeId, String removedBy, String reason, Boolean force) {}

  /** The reply to {@code mesh.nodes.remove}: the node, and the tasks sent back to the queue. */
  public record Removed(Node node, List<String> requeuedTasks) {}
}
