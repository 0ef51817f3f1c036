package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.InvalidRequestException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The fields of a {@code mesh.tasks.submit} request as options, for {@code submit} and {@code
 * collab start} (a picocli mixin). With {@code -f}, the file's object comes first and every option
 * given replaces its field; the collaboration options replace fields inside its {@code
 * collaboration} object. The mesh validates the request (docs/api.md, mesh.tasks.submit): this
 * class only builds it.
 */
final class TaskOptions {
  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read the request from a JSON or YAML file (- for stdin); options override it.")
  @Nullable String file;

  @Option(
      names = "--task-id",
      paramLabel = "ID",
      description = "Task id: A-Z a-z 0-9 _ - (default: from the file, else generated).")
  @Nullable String taskId;

  @Option(
      names = "--title",
      paramLabel = "TEXT",
      description = "What the task is, in a few words (required).")
  @Nullable String title;

  @Option(
      names = {"-d", "--description"},
      paramLabel = "TEXT",
      description = "The instructions the worker's LLM gets (the shell provider runs them).")
  @Nullable String description;

  @Option(
      names = "--metric",
      paramLabel = "CMD",
      description = "Shell command that must exit 0 for success; it may print a score.")
  @Nullable String metric;

  @Option(
      names = "--metric-threshold",
      paramLabel = "SCORE",
      description = "Score the metric must print to pass (docs/worker.md, Metric scores).")
  @Nullable BigDecimal metricThreshold;

  @Option(
      names = "--metric-direction",
      paramLabel = "higher|lower",
      description = "Which way the score improves (default higher).")
  @Nullable String metricDirection;

  @Option(
      names = "--budget-minutes",
      paramLabel = "N",
      description = "Minutes the task may run before it fails (default 30).")
  @Nullable Integer budgetMinutes;

  @Option(
      names = "--budget-usd",
      paramLabel = "DOLLARS",
      description = "Most the task's attempts (or rounds) may cost together.")
  @Nullable BigDecimal budgetUsd;

  @Option(names = "--priority", paramLabel = "N", description = "Higher is claimed first (0).")
  @Nullable Integer priority;

  @Option(names = "--provider", paramLabel = "NAME", description = "LLM provider, e.g. claude.")
  @Nullable String provider;

  @Option(names = "--model", paramLabel = "NAME", description = "LLM model for the provider.")
  @Nullable String model;

  @Option(
      names = "--on-fail",
      paramLabel = "TEXT",
      description =
          "What the worker does with a failed attempt (default: revert and log approach).")
  @Nullable String onFail;

  @Option(
      names = "--scope",
      split = ",",
      paramLabel = "PATH",
      description = "Paths the task may change (repeat, or separate with commas).")
  @Nullable List<String> scope;

  @Option(
      names = "--success",
      paramLabel = "CRITERION",
      description = "A success criterion for the prompt (repeat for more).")
  @Nullable List<String> successCriteria;

  @Option(
      names = "--depends-on",
      split = ",",
      paramLabel = "TASK_ID",
      description = "Tasks that must complete first.")
  @Nullable List<String> dependsOn;

  @Option(names = "--tag", split = ",", paramLabel = "TAG", description = "Tags to find it by.")
  @Nullable List<String> tags;

  @Option(
      names = "--prefer-node",
      split = ",",
      paramLabel = "NODE_ID",
      description = "Nodes that should claim it.")
  @Nullable List<String> preferredNodes;

  @Option(
      names = "--exclude-node",
      split = ",",
      paramLabel = "NODE_ID",
      description = "Nodes that must not claim it.")
  @Nullable List<String> excludeNodes;

  @Option(
      names = "--collab",
      paramLabel = "MODE",
      description =
          "Run as a collaboration session: parallel, sequential or review (docs/cli.md,"
              + " Collaboration spec).")
  @Nullable String collabMode;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      description = "Collaboration: nodes the session needs to start (min_nodes, default 2).")
  @Nullable Integer minNodes;

  @Option(
      names = "--max-nodes",
      paramLabel = "N",
      description = "Collaboration: most nodes that may join (default: no limit).")
  @Nullable Integer maxNodes;

  @Option(
      names = "--join-window",
      paramLabel = "SECONDS",
      description = "Collaboration: how long recruiting stays open after the first join (30).")
  @Nullable Integer joinWindow;

  @Option(
      names = "--max-rounds",
      paramLabel = "N",
      description = "Collaboration: rounds before it ends unconverged (default 5).")
  @Nullable Integer maxRounds;

  @Option(
      names = "--convergence",
      paramLabel = "TYPE",
      description = "Collaboration: unanimous (default), majority, coordinator or metric.")
  @Nullable String convergence;

  @Option(
      names = "--convergence-threshold",
      paramLabel = "SHARE",
      description = "Collaboration, majority: share of valid votes that must converge (0.66).")
  @Nullable BigDecimal convergenceThreshold;

  @Option(
      names = "--min-quorum",
      paramLabel = "N",
      description = "Collaboration: valid votes a round needs to converge (default: --nodes).")
  @Nullable Integer minQuorum;

  @Option(
      names = "--coordinator",
      paramLabel = "ID",
      description =
          "Collaboration, coordinator: who casts the deciding vote (default: first member).")
  @Nullable String coordinator;

  @Option(
      names = "--scope-strategy",
      paramLabel = "S",
      description = "Collaboration: shared (default), leader_only or partitioned.")
  @Nullable String scopeStrategy;

  @Option(
      names = "--round-timeout",
      paramLabel = "SECONDS",
      description = "Collaboration: how long a round may take (default: the orchestrator's).")
  @Nullable Integer roundTimeout;

  /**
   * The request: the file's object (if any), the options over it, a generated task id when none is
   * given.
   *
   * @param collab always send a {@code collaboration} object ({@code collab start})
   * @throws InvalidRequestException when there is no title, the task id is not a valid id, or the
   *     file cannot be used
   */
  ObjectNode body(InputStream stdin, boolean collab) {
    ObjectNode b = file == null ? CliJson.mapper().createObjectNode() : SpecFile.read(file, stdin);
    put(b, "task_id", taskId);
    put(b, "title", title);
    put(b, "description", description);
    put(b, "metric", metric);
    put(b, "metric_threshold", metricThreshold);
    put(b, "metric_direction", metricDirection);
    put(b, "budget_minutes", budgetMinutes);
    put(b, "budget_usd", budgetUsd);
    put(b, "priority", priority);
    put(b, "llm_provider", provider);
    put(b, "llm_model", model);
    put(b, "on_fail", onFail);
    list(b, "scope", scope);
    list(b, "success_criteria", successCriteria);
    list(b, "depends_on", dependsOn);
    list(b, "tags", tags);
    list(b, "preferred_nodes", preferredNodes);
    list(b, "exclude_nodes", excludeNodes);
    collaboration(b, collab);
    if (!b.path("title").isTextual() || b.path("title").asText().isBlank()) {
      throw new InvalidRequestException("a title is required: --title, or title in the file");
    }
    if (b.path("task_id").isTextual()) {
      // Checked here as every command checks the ids it is given: a typo is a usage error (exit
      // 2), not a refusal of the mesh.
      Ids.require("task_id", b.get("task_id").asText());
    } else if (!b.hasNonNull("task_id")) {
      b.put("task_id", generatedId(b.path("title").asText()));
    }
    return b;
  }

  private void collaboration(ObjectNode b, boolean always) {
    boolean any =
        collabMode != null
            || minNodes != null
            || maxNodes != null
            || joinWindow != null
            || maxRounds != null
            || convergence != null
            || convergenceThreshold != null
            || minQuorum != null
            || coordinator != null
            || scopeStrategy != null
            || roundTimeout != null;
    if (!any && !(always && !b.path("collaboration").isObject())) {
      return;
    }
    ObjectNode c =
        b.path("collaboration").isObject()
            ? (ObjectNode) b.get("collaboration")
            : b.putObject("collaboration");
    put(c, "mode", collabMode);
    put(c, "min_nodes", minNodes);
    put(c, "max_nodes", maxNodes);
    put(c, "join_window_s", joinWindow);
    put(c, "max_rounds", maxRounds);
    put(c, "scope_strategy", scopeStrategy);
    put(c, "round_timeout_s", roundTimeout);
    if (convergence != null
        || convergenceThreshold != null
        || minQuorum != null
        || coordinator != null) {
      ObjectNode cv =
          c.path("convergence").isObject()
              ? (ObjectNode) c.get("convergence")
              : c.putObject("convergence");
      put(cv, "type", convergence);
      put(cv, "threshold", convergenceThreshold);
      put(cv, "min_quorum", minQuorum);
      put(cv, "coordinator", coordinator);
    }
  }

  /** {@code title} as a readable id with a random suffix: {@code say-hello-4f2a9c}. */
  static String generatedId(String title) {
    String slug =
        title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > 40) {
      slug = slug.substring(0, 40).replaceAll("-+$", "");
    }
    String suffix =
        Long.toString(
            Instant.now().toEpochMilli() % 1_000_000L * 1000
                + ThreadLocalRandom.current().nextInt(1000),
            36);
    return (slug.isEmpty() ? "task" : slug) + "-" + suffix;
  }

  static void put(ObjectNode b, String field, @Nullable Object v) {
    switch (v) {
      case null -> {}
      case String s -> b.put(field, s);
      case Integer i -> b.put(field, i);
      case BigDecimal d -> b.put(field, d);
      default -> throw new IllegalArgumentException(field + ": " + v.getClass());
    }
  }

  private static void list(ObjectNode b, String field, @Nullable List<String> v) {
    if (v != null) {
      ArrayNode a = b.putArray(field);
      v.forEach(a::add);
    }
  }
}
