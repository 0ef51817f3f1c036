package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.collab.CollabReplay;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code jetmesh collab start|show|replay}: collaboration sessions (docs/collab.md). */
@Command(
    name = "collab",
    description = "Collaboration sessions: several nodes work on one task in rounds.",
    subcommands = {CollabCli.Start.class, CollabCli.Show.class, CollabCli.Replay.class},
    footer = {
      "",
      "Example:",
      "  jetmesh collab start --title 'Review the parser' --collab review --nodes 3"
    })
public final class CollabCli extends CliCommand {
  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return Exit.USAGE;
  }

  /** Submits a task with a collaboration spec: the mesh opens its session, which recruits nodes. */
  @Command(
      name = "start",
      description = {
        "Submit a task as a collaboration session (mesh.tasks.submit with a collaboration spec).",
        "The spec: docs/cli.md, Collaboration spec. Without --collab the mode is parallel."
      },
      footer = {
        "",
        "Examples:",
        "  jetmesh collab start --task-id review-1 --title Review -d 'echo ok' --nodes 2",
        "  jetmesh collab start -f review.yaml --convergence majority --max-rounds 3"
      })
  static final class Start extends WireCommand {
    @Mixin TaskOptions task;

    @Override
    public Integer call() {
      JsonNode t = request(Subjects.tasks("submit"), task.body(System.in, true));
      answer(t, t.path("collab_session_id").asText(), TaskCommands.submitted(t, style()));
      return Exit.OK;
    }
  }

  @Command(
      name = "show",
      description = "Show a session: members, rounds, reflections, votes (GET /api/collab/{id}).",
      footer = {"", "Example:", "  jetmesh collab show collab-review-1-1733390000000"})
  static final class Show extends ReadCommand {
    @Parameters(index = "0", paramLabel = "SESSION_ID", description = "The session.")
    String sessionId;

    @Override
    public Integer call() {
      Ids.require("session_id", sessionId);
      JsonNode s = api().get("/api/collab/" + sessionId, Map.of());
      if (json()) {
        Output.json(out(), s);
        return Exit.OK;
      }
      print(render(s, style()));
      return Exit.OK;
    }

    static String render(JsonNode s, Style style) {
      JsonNode members = s.has("members") ? s.get("members") : s.path("nodes");
      List<String> m = new ArrayList<>();
      members.forEach(
          n ->
              m.add(
                  n.isTextual()
                      ? n.asText()
                      : n.path("node_id").asText()
                          + (n.hasNonNull("role") ? " (" + n.get("role").asText() + ")" : "")));
      JsonNode spec = s.path("spec");
      JsonNode cv =
          spec.path("convergence").isObject() ? spec.get("convergence") : s.path("convergence");
      int round = s.path(s.has("current_round") ? "current_round" : "round").asInt();
      JsonNode result = s.path("result");
      StringBuilder sb =
          new StringBuilder(
              new Fields()
                  .add("session", Fmt.text(s.path("session_id")))
                  .add("task", Fmt.text(s.path("task_id")))
                  .add("status", Fmt.text(s.path("status")))
                  .add("mode", Fmt.text(s.path("mode")))
                  .add("convergence", Fmt.text(cv.path("type")))
                  .add("round", round + "/" + Fmt.text(s.path("max_rounds")))
                  .add("members", String.join(", ", m))
                  .add("result", Fmt.text(result.path("summary")))
                  .add("aborted", Fmt.text(s.path("abort_reason")))
                  .render(style));
      Table t =
          new Table(
              Table.Column.right("ROUND"),
              Table.Column.left("NODE"),
              Table.Column.status("VOTE"),
              Table.Column.right("CONFIDENCE"),
              Table.Column.right("SCORE"),
              Table.Column.right("COST"),
              Table.Column.wrapAt("SUMMARY", 60));
      List<String> decisions = new ArrayList<>();
      for (JsonNode r : s.path("rounds")) {
        String n =
            Fmt.text(
                r.path("round_number").isMissingNode() ? r.path("round") : r.path("round_number"));
        for (JsonNode x : r.path("reflections")) {
          t.row(
              n,
              Fmt.text(x.path("node_id")),
              x.path("parse_failed").asBoolean() ? "parse_failed" : Fmt.text(x.path("vote")),
              Fmt.text(x.path("confidence")),
              Fmt.text(x.path("metric_score")),
              Fmt.money(x.path("cost_usd")),
              Fmt.text(x.path("summary")));
        }
        JsonNode d = r.has("decision") ? r.get("decision") : r.path("outcome");
        if (!d.isMissingNode() && !d.isNull()) {
          decisions.add(
              "  round " + n + ": " + (d.isObject() ? Fmt.text(d.path("outcome")) : Fmt.text(d)));
        }
      }
      if (t.size() > 0) {
        sb.append('\n').append(t.render(style));
      }
      if (!decisions.isEmpty()) {
        sb.append("\ndecisions:\n");
        decisions.forEach(d -> sb.append(d).append('\n'));
      }
      return sb.toString();
    }
  }

  /**
   * Prints a session's timeline from the stream and recomputes every decision. Exit 0 when every
   * decision matches; 1 when one does not, or when the stream has no such session.
   */
  @Command(
      name = "replay",
      description = {
        "Replay a session from the event stream and audit its decisions.",
        "It prints the timeline, each round's votes, and every decision recomputed (exit 1 on a"
            + " mismatch)."
      },
      footer = {"", "Example:", "  jetmesh collab replay collab-review-1-1733390000000"})
  public static final class Replay extends CliCommand {
    @Parameters(index = "0", paramLabel = "SESSION_ID", description = "The session.")
    String sessionId;

    @Mixin StreamOptions source;

    @Mixin Output output;

    @Override
    public Integer call() throws Exception {
      Ids.require("session_id", sessionId);
      List<StoredEvent> events = source.read(cli().settings(), Subjects.collabEvents(sessionId));
      if (events.isEmpty()) {
        throw new RefusedException(
            ErrorCode.NOT_FOUND,
            "Session " + sessionId + " not found in stream " + source.stream(cli().settings()));
      }
      CollabReplay.Report r = CollabReplay.replay(sessionId, events);
      if (output.json) {
        Output.json(out(), Json.mapper().valueToTree(r));
      } else {
        print(r.text());
      }
      return r.mismatches() == 0 ? Exit.OK : Exit.REFUSED;
    }
  }
}
