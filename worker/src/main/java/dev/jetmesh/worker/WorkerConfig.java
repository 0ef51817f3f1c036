package dev.jetmesh.worker;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.JoinToken;
import dev.jetmesh.worker.git.Git;
import dev.jetmesh.worker.git.GitException;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.mesh.MeshLink;
import dev.jetmesh.worker.provider.ProviderException;
import dev.jetmesh.worker.provider.ProviderRegistry;
import dev.jetmesh.worker.provider.usage.PriceTable;
import dev.jetmesh.worker.provider.usage.PriceTableException;
import dev.jetmesh.worker.run.Backoff;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A validated worker configuration, read from the environment and the command line with the
 * reference's names and defaults. {@link #load} checks everything a worker needs before it connects
 * (node id, numbers, the workspace repository, the join token, the providers and their programs,
 * the scratch directory), so that a bad configuration is one {@link ConfigException} instead of a
 * failure at the first task. Immutable.
 *
 * @param natsUrl {@code MESH_NATS_URL}; else the NATS URL in the join token; else {@code
 *     nats://127.0.0.1:4222}
 * @param nodeId {@code MESH_NODE_ID}, default the normalised host name
 * @param joinToken {@code MESH_JOIN_TOKEN}, presented to {@code mesh.nodes.join}, or null: a mesh
 *     with a join secret refuses a node without one
 * @param capabilities {@code MESH_CAPABILITIES}: comma-separated tags the node reports when it
 *     joins, default none
 * @param workspace {@code MESH_WORKSPACE}, default {@code ~/.openclaw/workspace}: a git repository
 * @param worktreeBase {@code MESH_WORKTREE_BASE}, default {@code ~/.openclaw/worktrees}
 * @param envProvider {@code MESH_LLM_PROVIDER}, or null
 * @param flagProvider {@code --provider}, or null
 * @param flagModel {@code --model}, or null
 * @param maxAttempts {@code MESH_MAX_ATTEMPTS}, default 3
 * @param pollInterval {@code MESH_POLL_INTERVAL} (ms), default 15000
 * @param heartbeatInterval {@code MESH_HEARTBEAT_INTERVAL} (ms), default 60000
 * @param backoff {@code MESH_RETRY_BACKOFF_MS} (1000), {@code MESH_RETRY_BACKOFF_MAX_MS} (30000),
 *     {@code MESH_METRIC_RETRY_MS} (1000)
 * @param metricTimeout {@code MESH_METRIC_TIMEOUT} (ms), default 60000
 * @param collabCheckInterval {@code MESH_COLLAB_CHECK_INTERVAL} (ms), default 10000: how long a
 *     collaboration member waits for a round notification before it asks for the session's status
 *     and its assignment (the reference polls status every 10 s)
 * @param healthInterval {@code MESH_HEALTH_INTERVAL} (ms), default 15000: how often the node
 *     publishes its health on {@code mesh.health.<node>}
 * @param providers built-ins plus {@code MESH_PROVIDERS_FILE} (default {@code
 *     ~/.openclaw/mesh-providers.json}), pricing tokens with {@code MESH_PRICES_FILE} (default the
 *     table shipped with the worker)
 * @param offeredProviders the providers whose program this machine has, the default one first
 *     ({@link ProviderCheck}); what the node reports when it joins. Empty for a dry run, which
 *     checks no program
 * @param once {@code --once}: one claim, then exit
 * @param dryRun {@code --dry-run}: print the prompt of the task a claim would get; claim nothing
 * @param env the environment children start from
 * @param scratch {@code MESH_SCRATCH_DIR}: where runs capture their output, this user's alone
 */
public record WorkerConfig(
    String natsUrl,
    String nodeId,
    @Nullable String joinToken,
    List<String> capabilities,
    Path workspace,
    Path worktreeBase,
    @Nullable String envProvider,
    @Nullable String flagProvider,
    @Nullable String flagModel,
    int maxAttempts,
    Duration pollInterval,
    Duration heartbeatInterval,
    Backoff backoff,
    Duration metricTimeout,
    Duration collabCheckInterval,
    Duration healthInterval,
    ProviderRegistry providers,
    List<String> offeredProviders,
    boolean once,
    boolean dryRun,
    Map<String, String> env,
    Path scratch) {
  private static final int MAX_CAPABILITIES = 64;
  private static final int MAX_CAPABILITY_LENGTH = 200;

  public WorkerConfig {
    requireNonNull(natsUrl, "null natsUrl");
    requireNonNull(nodeId, "null nodeId");
    requireNonNull(workspace, "null workspace");
    requireNonNull(worktreeBase, "null worktreeBase");
    requireNonNull(pollInterval, "null pollInterval");
    requireNonNull(heartbeatInterval, "null heartbeatInterval");
    requireNonNull(backoff, "null backoff");
    requireNonNull(metricTimeout, "null metricTimeout");
    requireNonNull(collabCheckInterval, "null collabCheckInterval");
    requireNonNull(healthInterval, "null healthInterval");
    requireNonNull(providers, "null providers");
    capabilities = List.copyOf(requireNonNull(capabilities, "null capabilities"));
    offeredProviders = List.copyOf(requireNonNull(offeredProviders, "null offeredProviders"));
    env = Map.copyOf(requireNonNull(env, "null env"));
    requireNonNull(scratch, "null scratch");
  }

  /** What the command line says. */
  public record Flags(
      boolean once, boolean dryRun, @Nullable String provider, @Nullable String model) {
    public static final Flags NONE = new Flags(false, false, null, null);
  }

  /**
   * Reads and validates the configuration; throws {@link ConfigException} with one line that names
   * the variable (or flag) at fault. The only place the worker reads its settings.
   */
  public static WorkerConfig load(Flags flags, Map<String, String> env) {
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    String joinToken = nonBlank(env.get("MESH_JOIN_TOKEN"));
    String natsUrl = natsUrl(env, joinToken);
    String nodeId = nodeId(env);
    List<String> capabilities = capabilities(env);
    int maxAttempts = (int) number(env, "MESH_MAX_ATTEMPTS", 3, 1, 1000);
    Duration poll = millis(env, "MESH_POLL_INTERVAL", 15000, 1);
    Duration heartbeat = millis(env, "MESH_HEARTBEAT_INTERVAL", 60000, 1);
    Backoff backoff =
        new Backoff(
            millis(env, "MESH_RETRY_BACKOFF_MS", 1000, 0),
            millis(env, "MESH_RETRY_BACKOFF_MAX_MS", 30000, 0),
            millis(env, "MESH_METRIC_RETRY_MS", 1000, 0));
    Duration metricTimeout = millis(env, "MESH_METRIC_TIMEOUT", 60000, 1);
    Duration collabCheck = millis(env, "MESH_COLLAB_CHECK_INTERVAL", 10000, 1);
    Duration health = millis(env, "MESH_HEALTH_INTERVAL", 15000, 1);

    Path workspace = path(env, "MESH_WORKSPACE", home + "/.openclaw/workspace");
    Path worktreeBase = path(env, "MESH_WORKTREE_BASE", home + "/.openclaw/worktrees");
    try {
      Worktrees.requireRepository(new Git(env, Duration.ofSeconds(30)), workspace);
    } catch (GitException e) {
      throw new ConfigException(e.getMessage() + " (set MESH_WORKSPACE to a git repository)");
    }
    String envProvider = nonBlank(env.get("MESH_LLM_PROVIDER"));
    String flagProvider = nonBlank(flags.provider());
    ProviderRegistry providers = providers(env, home, envProvider, flagProvider);
    // A dry run starts no program, so a machine without one may still preview a task.
    List<String> offered =
        flags.dryRun()
            ? List.of()
            : ProviderCheck.offered(
                providers, defaultProvider(envProvider, flagProvider), env.get("PATH"));
    return new WorkerConfig(
        natsUrl,
        nodeId,
        joinToken,
        capabilities,
        workspace,
        worktreeBase,
        envProvider,
        flagProvider,
        nonBlank(flags.model()),
        maxAttempts,
        poll,
        heartbeat,
        backoff,
        metricTimeout,
        collabCheck,
        health,
        providers,
        offered,
        flags.once(),
        flags.dryRun(),
        env,
        ScratchDir.prepare(path(env, "MESH_SCRATCH_DIR", defaultScratch().toString())));
  }

  private static Path defaultScratch() {
    return ScratchDir.defaultPath(
        System.getProperty("java.io.tmpdir"),
        System.getProperty("user.name", ""),
        ScratchDir.uid());
  }

  /** {@code MESH_NATS_URL}, else the token's URL (so that a token is all a worker needs). */
  private static String natsUrl(Map<String, String> env, @Nullable String joinToken) {
    String url = nonBlank(env.get("MESH_NATS_URL"));
    String setting = "MESH_NATS_URL";
    if (url == null && joinToken != null) {
      url = nonBlank(tokenPayload(joinToken).nats());
      setting = "the NATS URL in MESH_JOIN_TOKEN";
    }
    if (url == null) {
      return "nats://127.0.0.1:4222";
    }
    try {
      MeshLink.checkUrl(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          setting
              + " is not a NATS server URL (nats://host:port[,...]): "
              + dev.jetmesh.schema.NatsInbox.redact(url));
    }
    return url;
  }

  /**
   * The token's payload, read without its signature: only the orchestrator holds the secret, and it
   * checks the token when the node joins.
   */
  private static JoinToken.Payload tokenPayload(String token) {
    try {
      return JoinToken.read(token);
    } catch (JoinToken.InvalidTokenException e) {
      throw new ConfigException(
          "MESH_JOIN_TOKEN is not a join token (jetmesh join-token prints one): " + e.getMessage());
    }
  }

  private static List<String> capabilities(Map<String, String> env) {
    String v = nonBlank(env.get("MESH_CAPABILITIES"));
    if (v == null) {
      return List.of();
    }
    Set<String> tags = new LinkedHashSet<>();
    for (String t : v.split(",", -1)) {
      if (!t.isBlank()) {
        tags.add(t.strip());
      }
    }
    // The orchestrator's limits, checked here so that the join is not refused for them.
    if (tags.size() > MAX_CAPABILITIES) {
      throw new ConfigException(
          "MESH_CAPABILITIES has " + tags.size() + " tags (max " + MAX_CAPABILITIES + ")");
    }
    for (String t : tags) {
      if (t.length() > MAX_CAPABILITY_LENGTH) {
        throw new ConfigException(
            "MESH_CAPABILITIES: a tag is longer than " + MAX_CAPABILITY_LENGTH + " characters");
      }
    }
    return List.copyOf(tags);
  }

  private static ProviderCheck.DefaultProvider defaultProvider(
      @Nullable String envProvider, @Nullable String flagProvider) {
    if (envProvider != null) {
      return new ProviderCheck.DefaultProvider(envProvider, "MESH_LLM_PROVIDER");
    }
    if (flagProvider != null) {
      return new ProviderCheck.DefaultProvider(flagProvider, "--provider");
    }
    return new ProviderCheck.DefaultProvider(ProviderRegistry.DEFAULT_PROVIDER, null);
  }

  private static String nodeId(Map<String, String> env) {
    String nodeId = nonBlank(env.get("MESH_NODE_ID"));
    if (nodeId == null) {
      nodeId = NodeIds.fromHostname();
    }
    if (!Ids.isValid(nodeId)) {
      throw new ConfigException(
          "invalid node id \""
              + nodeId
              + "\": set MESH_NODE_ID to 1-"
              + Ids.MAX_LENGTH
              + " characters of A-Z, a-z, 0-9, '_' or '-'");
    }
    return nodeId;
  }

  /** The built-in providers and the custom file; the providers named by variable and flag exist. */
  private static ProviderRegistry providers(
      Map<String, String> env,
      String home,
      @Nullable String envProvider,
      @Nullable String flagProvider) {
    String named = nonBlank(env.get("MESH_PROVIDERS_FILE"));
    Path file =
        named != null
            ? path(env, "MESH_PROVIDERS_FILE", named)
            : Path.of(home, ".openclaw", "mesh-providers.json");
    ProviderRegistry providers;
    try {
      providers = ProviderRegistry.load(env, file, named != null, prices(env));
    } catch (ProviderException e) {
      throw new ConfigException("MESH_PROVIDERS_FILE: " + e.getMessage());
    } catch (PriceTableException e) {
      throw new ConfigException("MESH_PRICES_FILE: " + e.getMessage());
    }
    requireProvider(providers, envProvider, "MESH_LLM_PROVIDER");
    requireProvider(providers, flagProvider, "--provider");
    return providers;
  }

  /** {@code MESH_PRICES_FILE} replaces the shipped price table whole. */
  private static PriceTable prices(Map<String, String> env) {
    String named = nonBlank(env.get("MESH_PRICES_FILE"));
    if (named == null) {
      return PriceTable.defaults();
    }
    return PriceTable.load(path(env, "MESH_PRICES_FILE", named));
  }

  private static void requireProvider(
      ProviderRegistry providers, @Nullable String name, String setting) {
    if (name == null) {
      return;
    }
    try {
      providers.get(name);
    } catch (ProviderException e) {
      throw new ConfigException(setting + ": " + e.getMessage());
    }
  }

  private static @Nullable String nonBlank(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static Path path(Map<String, String> env, String name, String dflt) {
    String v = nonBlank(env.get(name));
    try {
      return Path.of(v == null ? dflt : v).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException(name + " is not a valid path: " + v);
    }
  }

  private static long number(Map<String, String> env, String name, long dflt, long min, long max) {
    String v = nonBlank(env.get(name));
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        throw new ConfigException(name + " must be between " + min + " and " + max + ": " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number: " + v);
    }
  }

  private static Duration millis(Map<String, String> env, String name, long dflt, long min) {
    return Duration.ofMillis(number(env, name, dflt, min, Long.MAX_VALUE / 1_000_000));
  }
}
