package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.JoinToken;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.NatsInbox;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jetmesh join-token}: prints a join token signed with {@code MESH_JOIN_SECRET}, for a
 * worker to present to {@code mesh.nodes.join} (docs/operations.md, Nodes).
 */
@Command(
    name = "join-token",
    description = {
      "Print a join token signed with MESH_JOIN_SECRET, for one or more workers.",
      "The token is signed, not encrypted: anyone who holds it can read the NATS URL in it."
          + " Without --nats that URL is $MESH_NATS_URL without its user and password; a worker"
          + " brings its own (its MESH_NATS_URL, see jetmesh nats-auth)."
    },
    footer = {
      "",
      "Examples:",
      "  MESH_JOIN_SECRET=$(openssl rand -hex 32) jetmesh join-token --expires 2h",
      "  jetmesh join-token --nats nats://mesh.example:4222 --role worker"
    })
final class JoinTokenCommand extends CliCommand {
  @Option(
      names = "--expires",
      paramLabel = "DURATION",
      defaultValue = "48h",
      description = "How long it is valid: a number and m, h or d (default 48h).")
  String expires;

  @Option(
      names = "--nats",
      paramLabel = "URL",
      description =
          "NATS URL the worker connects to, put in the token as given (default: $MESH_NATS_URL"
              + " without its credentials).")
  @Nullable String nats;

  @Option(
      names = "--role",
      paramLabel = "ROLE",
      defaultValue = "worker",
      description = "Role the worker takes (default: worker).")
  String role;

  @Option(
      names = "--provider",
      paramLabel = "NAME",
      defaultValue = "claude",
      description = "LLM provider the worker runs (default: claude).")
  String provider;

  @Option(
      names = "--repo",
      paramLabel = "URL",
      description = "Git repository the worker should clone (default: none).")
  @Nullable String repo;

  @Option(
      names = "--lead",
      paramLabel = "NODE_ID",
      description = "The lead node the worker follows (default: none).")
  @Nullable String lead;

  @Override
  public Integer call() {
    OrchestratorConfig config = OrchestratorConfig.fromEnv();
    String secret = config.nodes().joinSecret();
    if (secret == null) {
      throw new MeshException(
          ErrorCode.INVALID_REQUEST,
          "MESH_JOIN_SECRET is not set: the mesh accepts joins without a token");
    }
    String url = tokenUrl(nats, config.natsUrl());
    if (nats == null && !url.equals(config.natsUrl())) {
      err()
          .println(
              "jetmesh: note: the token carries "
                  + url
                  + ", MESH_NATS_URL without its credentials (--nats to choose the URL)");
      err().flush();
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JoinToken.Payload p =
        new JoinToken.Payload(
            JoinToken.VERSION,
            url,
            role,
            provider,
            repo,
            lead,
            now,
            now.plus(JoinToken.expiry(expires)),
            Ids.randomUuid().toString());
    print(JoinToken.sign(p, JoinToken.key(secret)) + "\n");
    return Exit.OK;
  }

  /**
   * The NATS URL the token carries: {@code explicit} as given, else {@code configured} without its
   * credentials. A token is base64, readable by whoever holds it, and goes to other machines; the
   * caller's own password (often the orchestrator's or a client's) must not travel with it.
   */
  static String tokenUrl(@Nullable String explicit, String configured) {
    return explicit != null ? explicit : NatsInbox.withoutCredentials(configured);
  }
}
