package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Client subcommands that speak the {@code mesh.tasks.*} protocol to a running mesh, for people
 * without the {@code nats} CLI. Each prints the reply's {@code data} as JSON, or the error on
 * stderr with exit code 1.
 */
final class ClientCommands {
  private ClientCommands() {}

  /** Options every client command shares. */
  abstract static class Base implements Callable<Integer> {
    @Option(
        names = "--nats",
        defaultValue = "${env:MESH_NATS_URL:-nats://127.0.0.1:4222}",
        description = "NATS URL (default: $MESH_NATS_URL or nats://127.0.0.1:4222)")
    String nats;

    abstract String subject();

    abstract ObjectNode body();

    @Override
    public Integer call() throws Exception {
      Options o =
          Options.builder()
              .server(nats)
              .connectionTimeout(Duration.ofSeconds(5))
              .errorListener(new io.nats.client.ErrorListener() {})
              .build();
      Connection nc;
      try {
        nc = Nats.connect(o);
      } catch (java.io.IOException e) {
        throw new MeshException(
            ErrorCode.UNAVAILABLE, "cannot connect to NATS at " + nats + ": " + e.getMessage());
      }
      try {
        Message m =
            nc.request(subject(), Json.mapper().writeValueAsBytes(body()), Duration.ofSeconds(30));
        if (m == null) {
          throw new MeshException(
              ErrorCode.UNAVAILABLE, "no orchestrator answered on " + subject());
        }
        JsonNode reply = Json.mapper().readTree(m.getData());
        if (!reply.path("ok").asBoolean()) {
          System.err.println("jetmesh: " + reply.path("error").asText());
          return 1;
        }
        System.out.println(
            Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(reply.get("data")));
        return 0;
      } finally {
        nc.close();
      }
    }
  }

  @Command(name = "submit", description = "Submit a task (mesh.tasks.submit).")
  static final class Submit extends Base {
    @Option(names = "--task-id", required = true)
    String taskId;

    @Option(names = "--title", required = true)
    String title;

    @Option(names = "--description")
    @Nullable String description;

    @Option(names = "--metric", description = "Shell command that must exit 0 for success.")
    @Nullable String metric;

    @Option(names = "--budget-minutes")
    @Nullable Integer budget;

    @Option(names = "--priority")
    @Nullable Integer priority;

    @Option(names = "--provider")
    @Nullable String provider;

    @Option(names = "--depends-on", split = ",")
    @Nullable List<String> dependsOn;

    @Option(
        names = "--metric-threshold",
        description = "Score the metric must print to pass (docs/worker.md, Metric scores).")
    java.math.BigDecimal metricThreshold;

    @Option(names = "--metric-direction", description = "higher (default) or lower is better.")
    String metricDirection;

    @Option(names = "--budget-usd", description = "Most the task's attempts may cost together.")
    java.math.BigDecimal budgetUsd;

    @Override
    String subject() {
      return Subjects.tasks("submit");
    }

    @Override
    ObjectNode body() {
      ObjectNode b = Json.mapper().createObjectNode();
      b.put("task_id", taskId);
      b.put("title", title);
      if (description != null) {
        b.put("description", description);
      }
      if (metric != null) {
        b.put("metric", metric);
      }
      if (budget != null) {
        b.put("budget_minutes", budget);
      }
      if (priority != null) {
        b.put("priority", priority);
      }
      if (provider != null) {
        b.put("llm_provider", provider);
      }
      if (dependsOn != null) {
        dependsOn.forEach(b.putArray("depends_on")::add);
      }
      if (metricThreshold != null) {
        b.put("metric_threshold", metricThreshold);
      }
      if (metricDirection != null) {
        b.put("metric_direction", metricDirection);
      }
      if (budgetUsd != null) {
        b.put("budget_usd", budgetUsd);
      }
      return b;
    }
  }

  @Command(name = "get", description = "Show one task (mesh.tasks.get).")
  static final class Get extends Base {
    @Parameters(index = "0", paramLabel = "TASK_ID")
    String taskId;

    @Override
    String subject() {
      return Subjects.tasks("get");
    }

    @Override
    ObjectNode body() {
      return Json.mapper().createObjectNode().put("task_id", taskId);
    }
  }

  @Command(name = "list", description = "List tasks (mesh.tasks.list).")
  static final class ListTasks extends Base {
    @Option(names = "--status")
    @Nullable String status;

    @Option(names = "--owner")
    @Nullable String owner;

    @Option(names = "--tag")
    @Nullable String tag;

    @Override
    String subject() {
      return Subjects.tasks("list");
    }

    @Override
    ObjectNode body() {
      ObjectNode b = Json.mapper().createObjectNode();
      if (status != null) {
        b.put("status", status);
      }
      if (owner != null) {
        b.put("owner", owner);
      }
      if (tag != null) {
        b.put("tag", tag);
      }
      return b;
    }
  }

  @Command(name = "cancel", description = "Cancel a task (mesh.tasks.cancel).")
  static final class Cancel extends Base {
    @Parameters(index = "0", paramLabel = "TASK_ID")
    String taskId;

    @Option(names = "--reason")
    @Nullable String reason;

    @Override
    String subject() {
      return Subjects.tasks("cancel");
    }

    @Override
    ObjectNode body() {
      ObjectNode b = Json.mapper().createObjectNode().put("task_id", taskId);
      if (reason != null) {
        b.put("reason", reason);
      }
      return b;
    }
  }
}
