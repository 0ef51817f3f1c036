package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --json}: print what the mesh answered, as it answered it (snake_case, as the read API and
 * the wire), instead of a table. A picocli mixin.
 */
final class Output {
  @Option(
      names = "--json",
      description = "Print the answer as JSON (snake_case, as the API) instead of a table.")
  boolean json;

  /** {@code node} pretty-printed, then a newline. */
  static void json(PrintWriter out, @Nullable JsonNode node) {
    try {
      out.println(CliJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed tree is always writable", e);
    }
    out.flush();
  }
}
