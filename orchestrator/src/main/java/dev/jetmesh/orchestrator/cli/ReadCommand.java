package dev.jetmesh.orchestrator.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A command that reads through the HTTP read API: {@code --api-url} and {@code --json}. */
abstract class ReadCommand extends CliCommand {
  @Option(
      names = "--api-url",
      paramLabel = "URL",
      description =
          "Read API (default: $MESH_API_URL, else http://127.0.0.1:$MESH_HTTP_PORT, port 8080)."
              + " A bearer token is taken from $MESH_API_TOKEN.")
  @Nullable String apiUrl;

  @Mixin Output output;

  final ReadApi api() {
    return cli().api(apiUrl);
  }

  final boolean json() {
    return output.json;
  }
}
