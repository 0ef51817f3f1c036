package dev.jetmesh.orchestrator.config;

import dev.jetmesh.orchestrator.config.OrchestratorConfig.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code jetmesh} client commands read from their environment (docs/cli.md). Command-line
 * options override these. Immutable; parsing reads nothing but the map, so that a command is cheap
 * to start.
 *
 * @param natsUrl {@code MESH_NATS_URL}: where commands are sent
 * @param stream {@code MESH_STREAM}: the stream replays read
 * @param apiUrl {@code MESH_API_URL}, else {@code http://127.0.0.1:$MESH_HTTP_PORT} (8080): the
 *     read API, without a trailing slash
 * @param apiToken {@code MESH_API_TOKEN}: sent as a bearer token; null when unset or blank
 * @param noColor {@code NO_COLOR} is set and not empty (no-color.org)
 * @param user {@code USER}: who approves or removes when no {@code --by} is given
 * @param workerJar {@code MESH_WORKER_JAR}: the worker jar {@code jetmesh worker} runs; null: look
 *     beside this jar
 * @param natsInboxPrefix {@code MESH_NATS_INBOX_PREFIX}: null derives it from the URL's user
 *     ({@link dev.jetmesh.schema.NatsInbox})
 */
public record ClientSettings(
    String natsUrl,
    String stream,
    String apiUrl,
    @Nullable String apiToken,
    boolean noColor,
    String user,
    @Nullable String workerJar,
    @Nullable String natsInboxPrefix) {

  public static ClientSettings fromEnv() {
    return from(System.getenv());
  }

  /**
   * The settings in {@code env}.
   *
   * @throws ConfigException naming the variable whose value cannot be used
   */
  public static ClientSettings from(Map<String, String> env) {
    String port = nonBlank(env.get("MESH_HTTP_PORT"));
    String api = nonBlank(env.get("MESH_API_URL"));
    String stream = env.getOrDefault("MESH_STREAM", "MESH_EVENTS");
    if (!stream.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new ConfigException(
          "MESH_STREAM must be 1-64 characters of A-Z a-z 0-9 _ -: " + stream);
    }
    return new ClientSettings(
        env.getOrDefault("MESH_NATS_URL", "nats://127.0.0.1:4222"),
        stream,
        api != null ? apiUrl("MESH_API_URL", api) : "http://127.0.0.1:" + port(port),
        nonBlank(env.get("MESH_API_TOKEN")),
        nonBlank(env.get("NO_COLOR")) != null,
        env.getOrDefault("USER", "cli"),
        nonBlank(env.get("MESH_WORKER_JAR")),
        nonBlank(env.get(dev.jetmesh.schema.NatsInbox.SETTING)));
  }

  /**
   * {@code COLUMNS} when it is a number: how wide help is printed. Read apart from the settings,
   * which are parsed on first use, so that {@code --help} works whatever they hold.
   */
  public static @Nullable Integer columns() {
    return columns(System.getenv());
  }

  /** {@code COLUMNS} of {@code env} when it is a number of at most four digits, else null. */
  public static @Nullable Integer columns(Map<String, String> env) {
    String v = nonBlank(env.get("COLUMNS"));
    return v != null && v.matches("[0-9]{1,4}") ? Integer.valueOf(v) : null;
  }

  /**
   * {@code url} without its trailing slashes, checked to be an absolute http(s) URL.
   *
   * @throws ConfigException naming {@code variable} (or the option that gave the URL)
   */
  public static String apiUrl(String variable, String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    try {
      URI uri = new URI(u);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return u;
      }
    } catch (URISyntaxException e) {
      // refused below, with the value
    }
    throw new ConfigException(variable + " must be an http:// or https:// URL: " + url);
  }

  /**
   * {@code MESH_HTTP_PORT} as a port, 8080 when unset. 0 (an orchestrator's "any free port", often
   * in an environment the CLI shares with {@code serve}) is taken as given: commands that never
   * read the API (replays, wire commands) must not fail on it, and one that does finds nothing
   * there and says the API is unreachable.
   *
   * @throws ConfigException when it is not a number from 0 to 65535
   */
  private static int port(@Nullable String value) {
    if (value == null) {
      return 8080;
    }
    if (value.matches("[0-9]{1,5}")) {
      int p = Integer.parseInt(value);
      if (p <= 65535) {
        return p;
      }
    }
    throw new ConfigException(
        "MESH_HTTP_PORT must be a port number (0-65535) when MESH_API_URL is not set: " + value);
  }

  private static @Nullable String nonBlank(@Nullable String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }
}
