package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.NatsInbox;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The {@code mesh.*} request subjects for the CLI (docs/api.md): one request, its reply's {@code
 * data}, or the reply's error as a {@link RefusedException} with its code. Connects on first use;
 * {@link #close()} disconnects. Not thread-safe: one command uses it.
 */
final class MeshWire implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String url;
  private final @Nullable String inboxPrefix;
  private @Nullable Connection nc;

  /**
   * @param inboxPrefix {@code MESH_NATS_INBOX_PREFIX}; null derives it from the URL's user
   */
  MeshWire(String url, @Nullable String inboxPrefix) {
    this.url = url;
    this.inboxPrefix = inboxPrefix;
  }

  /** Sends {@code body} to {@code subject}; the reply's {@code data} (JSON null when none). */
  JsonNode request(String subject, JsonNode body) {
    Message m;
    try {
      m =
          connection()
              .requestWithTimeout(subject, CliJson.mapper().writeValueAsBytes(body), TIMEOUT)
              .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree is always writable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while waiting for " + subject);
    } catch (ExecutionException | CancellationException | TimeoutException e) {
      // jnats cancels a request nobody subscribes to ("no responders") and times out the rest.
      throw new UnreachableException(
          "no orchestrator answered on "
              + subject
              + " at "
              + NatsInbox.redact(url)
              + " (is `jetmesh serve` running?)");
    }
    JsonNode reply;
    try {
      reply = CliJson.mapper().readTree(m.getData());
    } catch (IOException e) {
      throw new RefusedException(ErrorCode.INTERNAL, "the reply on " + subject + " is not JSON");
    }
    if (!reply.path("ok").asBoolean()) {
      throw new RefusedException(
          codeOf(reply.path("code").asText()), reply.path("error").asText("refused"));
    }
    return reply.path("data").isMissingNode() ? CliJson.mapper().nullNode() : reply.get("data");
  }

  private Connection connection() {
    Connection c = nc;
    if (c == null) {
      c = connect(url, inboxPrefix);
      nc = c;
    }
    return c;
  }

  /**
   * A connection to {@code url} (from {@code MESH_NATS_URL} or {@code --nats}) for one command:
   * every command that talks to NATS connects here, so that a bad URL or an unreachable server is
   * the same one line (with the password hidden) whichever command met it.
   *
   * @param inboxPrefix {@code MESH_NATS_INBOX_PREFIX}; null derives it from the URL's user
   * @throws InvalidRequestException when {@code url} or {@code inboxPrefix} cannot be used
   * @throws UnreachableException when no NATS server answers at {@code url}
   */
  static Connection connect(String url, @Nullable String inboxPrefix) {
    String prefix;
    try {
      prefix = NatsInbox.prefix(url, inboxPrefix);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(String.valueOf(e.getMessage()));
    }
    try {
      return Nats.connect(
          Options.builder()
              .server(url)
              .inboxPrefix(prefix)
              .connectionTimeout(Duration.ofSeconds(5))
              .errorListener(new ErrorListener() {})
              .build());
    } catch (IllegalArgumentException e) {
      // jnats wraps the URISyntaxException, whose message repeats the URL with its password.
      throw new InvalidRequestException(
          "not a NATS URL (MESH_NATS_URL, --nats): " + NatsInbox.redact(url));
    } catch (IOException e) {
      throw new UnreachableException(
          "cannot connect to NATS at "
              + NatsInbox.redact(url)
              + " (MESH_NATS_URL): "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException(
          "interrupted while connecting to NATS at " + NatsInbox.redact(url));
    }
  }

  private static ErrorCode codeOf(String name) {
    for (ErrorCode c : ErrorCode.values()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    // The reference's replies carry no code: a refusal of unknown kind.
    return ErrorCode.CONFLICT;
  }

  @Override
  public void close() {
    Connection c = nc;
    if (c != null) {
      try {
        c.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
