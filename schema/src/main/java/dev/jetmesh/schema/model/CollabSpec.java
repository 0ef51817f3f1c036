package dev.jetmesh.schema.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.InvalidRequestException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A task's {@code collaboration} spec, normalised with the reference's defaults (REFERENCE.md
 * section 2: a missing or 0 value takes the default). Unknown fields are ignored, as in the
 * reference; known fields of the wrong type or out of range are refused.
 *
 * @param maxNodes null: no limit
 * @param roundTimeoutS null: the orchestrator's {@code MESH_COLLAB_ROUND_TIMEOUT_SECONDS}
 */
public record CollabSpec(
    CollabMode mode,
    int minNodes,
    @Nullable Integer maxNodes,
    int joinWindowS,
    int maxRounds,
    CollabConvergence convergence,
    String scopeStrategy,
    @Nullable Integer roundTimeoutS) {

  public static final Set<String> SCOPE_STRATEGIES = Set.of("shared", "leader_only", "partitioned");

  private static final int MAX_SECONDS = 7 * 24 * 3600;

  /**
   * The session id of the task's session: {@code collab-<task_id>-<created_at epoch ms>}, as in the
   * reference, but taken from the task's creation time so that it is deterministic. A task id too
   * long for that is shortened and suffixed with a hash so the id stays a valid subject token.
   */
  public static String sessionIdFor(String taskId, Instant createdAt) {
    String id = "collab-" + taskId + "-" + createdAt.toEpochMilli();
    if (id.length() <= Ids.MAX_LENGTH) {
      return id;
    }
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8));
      String hash = HexFormat.of().formatHex(h, 0, 6);
      return "collab-" + taskId.substring(0, 150) + "-" + hash + "-" + createdAt.toEpochMilli();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The task id that a session id of the unshortened form names ({@code
   * collab-<task_id>-<digits>}), or null. Only a candidate: a caller confirms it against the task's
   * own {@code collab_session_id}. For a shortened id (a long task id) it is a prefix of the task
   * id and a hash, never the task id itself.
   */
  public static @Nullable String taskIdOf(String sessionId) {
    String prefix = "collab-";
    int dash = sessionId.lastIndexOf('-');
    if (!sessionId.startsWith(prefix)
        || dash <= prefix.length()
        || dash == sessionId.length() - 1) {
      return null;
    }
    for (int i = dash + 1; i < sessionId.length(); i++) {
      char c = sessionId.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    return sessionId.substring(prefix.length(), dash);
  }

  /**
   * This spec with the task's metric score target in its convergence rule: a session of a task with
   * a {@code metric_threshold} converges on scores ({@code Convergence}).
   */
  public CollabSpec withScoreTarget(
      @Nullable BigDecimal threshold, @Nullable MetricDirection direction) {
    return new CollabSpec(
        mode,
        minNodes,
        maxNodes,
        joinWindowS,
        maxRounds,
        convergence.withScoreTarget(threshold, direction),
        scopeStrategy,
        roundTimeoutS);
  }

  /** Parses and validates {@code n} (a JSON object). */
  public static CollabSpec parse(@Nullable JsonNode n) {
    if (n == null || !n.isObject()) {
      throw bad("must be an object");
    }
    CollabMode mode =
        word("mode", text(n, "mode", "parallel"), CollabMode::fromWire, CollabMode.allowed());
    int minNodes = integer(n, "min_nodes", 2, 1, 1000);
    Integer maxNodes = n.hasNonNull("max_nodes") ? integer(n, "max_nodes", 0, 0, 1000) : null;
    if (maxNodes != null && maxNodes == 0) {
      maxNodes = null;
    }
    if (maxNodes != null && maxNodes < minNodes) {
      throw bad("max_nodes (" + maxNodes + ") is below min_nodes (" + minNodes + ")");
    }
    int joinWindow = integer(n, "join_window_s", 30, 0, MAX_SECONDS);
    int maxRounds = integer(n, "max_rounds", 5, 0, 1000);
    String strategy = text(n, "scope_strategy", "shared");
    if (!SCOPE_STRATEGIES.contains(strategy)) {
      throw bad("scope_strategy must be shared, leader_only or partitioned");
    }
    Integer timeout =
        n.hasNonNull("round_timeout_s") ? integer(n, "round_timeout_s", 0, 0, MAX_SECONDS) : null;
    if (timeout != null && timeout == 0) {
      timeout = null;
    }
    JsonNode cv = n.path("convergence");
    if (!cv.isMissingNode() && !cv.isNull() && !cv.isObject()) {
      throw bad("convergence must be an object");
    }
    ConvergenceType type =
        word(
            "convergence.type",
            text(cv, "type", "unanimous"),
            ConvergenceType::fromWire,
            ConvergenceType.allowed());
    double threshold = 0.66;
    if (cv.hasNonNull("threshold")) {
      if (!cv.get("threshold").isNumber()) {
        throw bad("convergence.threshold must be a number");
      }
      double t = cv.get("threshold").asDouble();
      if (t != 0) {
        if (!(t > 0 && t <= 1)) {
          throw bad("convergence.threshold must be in (0, 1]");
        }
        threshold = t;
      }
    }
    String metric = optionalText(cv, "metric");
    int quorum = integer(cv, "min_quorum", minNodes, 0, 1000);
    String coordinator = optionalText(cv, "coordinator");
    if (coordinator != null) {
      Ids.require("convergence.coordinator", coordinator);
    }
    return new CollabSpec(
        mode,
        minNodes,
        maxNodes,
        joinWindow == 0 ? 30 : joinWindow,
        maxRounds == 0 ? 5 : maxRounds,
        new CollabConvergence(type, threshold, metric, quorum, coordinator, null, null),
        strategy,
        timeout);
  }

  private static String text(JsonNode n, String field, String def) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return def;
    }
    if (!v.isTextual()) {
      throw bad(field + " must be a string");
    }
    return v.asText().isEmpty() ? def : v.asText();
  }

  /** Like {@link #text} without a default: null when absent, JSON null or empty. */
  private static @Nullable String optionalText(JsonNode n, String field) {
    String v = text(n, field, "");
    return v.isEmpty() ? null : v;
  }

  /**
   * {@code value} parsed into its type. An unknown word is refused with the spec's message, which
   * names the field and the allowed words: {@code Invalid collaboration spec: mode must be
   * parallel, sequential or review}.
   */
  private static <T> T word(String field, String value, Function<String, T> parse, String allowed) {
    try {
      return parse.apply(value);
    } catch (InvalidRequestException e) {
      throw bad(field + " must be " + allowed);
    }
  }

  /** Reference defaulting ({@code v||def}): absent, null or 0 take {@code def}. */
  private static int integer(JsonNode n, String field, int def, int min, int max) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return def;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw bad(field + " must be a whole number");
    }
    int i = v.asInt();
    if (i == 0) {
      return def;
    }
    if (i < min || i > max) {
      throw bad(field + " must be between " + Math.max(min, 1) + " and " + max);
    }
    return i;
  }

  private static InvalidRequestException bad(String why) {
    return new InvalidRequestException("Invalid collaboration spec: " + why);
  }
}
