package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.InvalidRequestException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code --limit}, {@code --all} and {@code --cursor} of the list commands (a picocli mixin). */
final class Paging {
  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "50",
      description = "Show at most N (default 50).")
  int limit;

  @Option(names = "--all", description = "Show every one, page after page.")
  boolean all;

  @Option(
      names = "--cursor",
      paramLabel = "CURSOR",
      description = "Start after this point (next_cursor of a --json answer).")
  @Nullable String cursor;

  /**
   * The page (or, with {@code --all}, every page) of {@code path}.
   *
   * @throws InvalidRequestException when {@code --limit} is below 1, before anything is asked
   */
  ObjectNode fetch(ReadApi api, String path, Map<String, Object> query) {
    if (!all && limit < 1) {
      throw new InvalidRequestException(
          "--limit must be at least 1: " + limit + " (--all shows every one)");
    }
    Map<String, Object> q = new LinkedHashMap<>(query);
    q.put("cursor", cursor);
    return api.list(path, q, all ? 0 : limit);
  }

  /** On stderr, so that a pipe reads only the table: how to see the rest. */
  void hint(PrintWriter err, ObjectNode page, String what) {
    if (page.path("next_cursor").isTextual()) {
      err.println(
          "(more " + what + ": --all, or --cursor " + page.path("next_cursor").asText() + ")");
      err.flush();
    }
  }
}
