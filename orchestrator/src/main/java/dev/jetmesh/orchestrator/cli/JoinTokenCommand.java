package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.JoinToken;
import dev.jetmesh.schema.MeshException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jetmesh join-token}: prints a join token signed with {@code MESH_JOIN_SECRET}, for a
 * worker to present to {@code mesh.nodes.join} (docs/operations.md, Nodes).
 */
@Command(
    name = "join-token",
    description = "Print a join token signed with MESH_JOIN_SECRET, for one or more workers.",
    footer = {
      "",
      "Example:",
      "  MESH_JOIN_SECRET=$(openssl rand -hex 32) jetmesh join-token --expires 2h --role worker"
    })
final class JoinTokenCommand implements Callable<Integer> {
  @Option(
      names = "--expires",
      defaultValue = "48h",
      description = "How long it is valid: a number and m, h or d (default 48h).")
  String expires;

  @Option(
      names = "--nats",
      description = "NATS URL the worker connects to (default: $MESH_NATS_URL).")
  String nats;

  @Option(
      names = "--role",
      defaultValue = "worker",
      description = "Role the worker takes (default: worker).")
  String role;

  @Option(
      names = "--provider",
      defaultValue = "claude",
      description = "Provider the worker runs (default: claude).")
  String provider;

  @Option(names = "--repo", description = "Repository the worker should clone.")
  String repo;

  @Option(names = "--lead", description = "The lead node the worker follows.")
  String lead;

  @Override
  public Integer call() {
    OrchestratorConfig config = OrchestratorConfig.fromEnv();
    String secret = config.nodes().joinSecret();
    if (secret == null) {
      throw new MeshException(
          ErrorCode.INVALID_REQUEST,
          "MESH_JOIN_SECRET is not set: the mesh accepts joins without a token");
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JoinToken.Payload p =
        new JoinToken.Payload(
            JoinToken.VERSION,
            nats != null ? nats : config.natsUrl(),
            role,
            provider,
            repo,
            lead,
            now,
            now.plus(JoinToken.expiry(expires)),
            Ids.randomUuid().toString());
    System.out.println(JoinToken.sign(p, JoinToken.key(secret)));
    return 0;
  }
}
