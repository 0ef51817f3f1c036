package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@code jetmesh watch} shows of a task, a collaboration session or a plan, from what the read
 * API answers for it, and when it has ended. Stateless.
 */
enum Progress {
  TASK("task", "task", "/api/tasks/", "task_id") {
    @Override
    List<String> frame(JsonNode t, Style s) {
      List<String> out = new ArrayList<>();
      out.add(head(t, s) + "  " + Fmt.text(t.path("title")));
      JsonNode attempts = t.path("attempts");
      String owner = t.hasNonNull("owner") ? "held by " + t.get("owner").asText() + ", " : "";
      out.add(
          "  "
              + owner
              + attempts.size()
              + (attempts.size() == 1 ? " attempt" : " attempts")
              + (t.hasNonNull("cost_usd") ? ", " + Fmt.money(t.get("cost_usd")) : ""));
      if (!attempts.isEmpty()) {
        JsonNode a = attempts.get(attempts.size() - 1);
        out.add(
            "  last: #"
                + Fmt.text(a.path("attempt"))
                + " on "
                + Fmt.text(a.path("node_id"))
                + ", exit "
                + Fmt.text(a.path("exit_code"))
                + ", "
                + Fmt.duration(a.path("duration_ms")));
      }
      if (ended(t) != null) {
        addResult(out, t.path("result"));
      }
      return out;
    }

    @Override
    @Nullable Integer ended(JsonNode t) {
      String st = t.path("status").asText();
      if ("completed".equals(st)) {
        return 0;
      }
      return TASK_FAILED.contains(st) ? Integer.valueOf(1) : null;
    }
  },

  SESSION("session", "collab", "/api/collab/", "session_id") {
    @Override
    List<String> frame(JsonNode c, Style s) {
      List<String> out = new ArrayList<>();
      int round = c.path(c.has("current_round") ? "current_round" : "round").asInt();
      out.add(
          head(c, s)
              + "  "
              + Fmt.text(c.path("mode"))
              + ", round "
              + round
              + "/"
              + Fmt.text(c.path("max_rounds"))
              + ", task "
              + Fmt.text(c.path("task_id")));
      JsonNode members = c.has("members") ? c.get("members") : c.path("nodes");
      List<String> m = new ArrayList<>();
      members.forEach(
          n -> m.add(n.isTextual() ? n.asText() : n.path("node_id").asText(n.path("id").asText())));
      out.add("  members: " + (m.isEmpty() ? "none yet" : String.join(", ", m)));
      JsonNode r = lastRound(c.path("rounds"));
      if (r != null) {
        List<String> votes = new ArrayList<>();
        r.path("reflections")
            .forEach(x -> votes.add(x.path("node_id").asText() + " " + x.path("vote").asText()));
        out.add(
            "  round "
                + r.path("round_number").asInt(round)
                + ": "
                + (votes.isEmpty() ? "no reflection yet" : String.join(", ", votes)));
      }
      addResult(out, c.path("result"));
      if (c.hasNonNull("abort_reason")) {
        out.add("  aborted: " + c.get("abort_reason").asText());
      }
      return out;
    }

    @Override
    @Nullable Integer ended(JsonNode c) {
      String st = c.path("status").asText();
      if ("completed".equals(st)) {
        return 0;
      }
      return "aborted".equals(st) ? Integer.valueOf(1) : null;
    }
  },

  PLAN("plan", "plan", "/api/plans/", "plan_id") {
    @Override
    List<String> frame(JsonNode body, Style s) {
      JsonNode p = plan(body);
      List<String> out = new ArrayList<>();
      out.add(head(p, s) + "  " + Fmt.text(p.path("title")));
      Map<String, Integer> count = new LinkedHashMap<>();
      int total = 0;
      int done = 0;
      for (JsonNode w : body.path("waves")) {
        for (JsonNode st : w.path("subtasks")) {
          String status = st.path("status").asText("pending");
          count.merge(status, 1, Integer::sum);
          total++;
          done += "completed".equals(status) ? 1 : 0;
        }
      }
      out.add("  " + bar(done, total) + " " + done + "/" + total + " subtasks completed");
      List<String> parts = new ArrayList<>();
      count.forEach((k, v) -> parts.add(v + " " + s.status(k)));
      if (!parts.isEmpty()) {
        out.add("  " + String.join(", ", parts));
      }
      return out;
    }

    @Override
    @Nullable Integer ended(JsonNode body) {
      JsonNode p = plan(body);
      String st = p.path("status").asText();
      if ("aborted".equals(st)) {
        return 1;
      }
      if ("completed".equals(st)) {
        return p.path("success").asBoolean(true) ? 0 : 1;
      }
      return null;
    }
  };

  private static final Set<String> TASK_FAILED = Set.of("failed", "released", "cancelled");

  final String word;
  final String aggregate;
  final String path;
  final String idField;

  Progress(String word, String aggregate, String path, String idField) {
    this.word = word;
    this.aggregate = aggregate;
    this.path = path;
    this.idField = idField;
  }

  /** The lines that show where it stands. */
  abstract List<String> frame(JsonNode snapshot, Style style);

  /** Null while it runs; when it has ended, the exit code: 0 success, 1 failed or aborted. */
  abstract @Nullable Integer ended(JsonNode snapshot);

  /** {@code task}, {@code session} (or {@code collab}) or {@code plan}. */
  static @Nullable Progress of(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    for (Progress p : values()) {
      if (p.word.equals(w)) {
        return p;
      }
    }
    return "collab".equals(w) ? SESSION : null;
  }

  String head(JsonNode n, Style s) {
    return word
        + " "
        + s.bold(n.path(idField).asText())
        + "  "
        + s.status(n.path("status").asText());
  }

  /** A plan answer may nest the plan ({@code {"plan":{...},"waves":[...]}}) or be the plan. */
  static JsonNode plan(JsonNode body) {
    return body.path("plan").isObject() ? body.get("plan") : body;
  }

  static @Nullable JsonNode lastRound(JsonNode rounds) {
    return rounds.isArray() && !rounds.isEmpty() ? rounds.get(rounds.size() - 1) : null;
  }

  /**
   * {@code result: <summary>} on one line, cut to 100 characters; nothing when there is no summary
   * or it is blank (a line with nothing after its label reads as if something were lost).
   */
  static void addResult(List<String> out, JsonNode result) {
    String summary = result.path("summary").asText("").replace('\n', ' ').strip();
    if (!summary.isEmpty()) {
      out.add("  result: " + Table.cut(summary, 100));
    }
  }

  /** {@code [######----]}: ten cells. */
  static String bar(int done, int total) {
    int filled = total == 0 ? 0 : (int) Math.round(10.0 * done / total);
    return "[" + "#".repeat(filled) + "-".repeat(10 - filled) + "]";
  }
}
