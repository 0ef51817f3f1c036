package dev.jetmesh.schema;

import org.jspecify.annotations.Nullable;

/**
 * The inbox prefix a process's NATS connection uses for the replies to its requests. With per-role
 * NATS users (docs/security.md) a user may subscribe only under its own prefix, {@code
 * _INBOX.<user>.>}, so that nobody reads another's replies; every jetmesh process (orchestrator,
 * worker, CLI) therefore derives its prefix the same way. Stateless.
 */
public final class NatsInbox {
  /** The client library's default: used when the URL names no user. */
  public static final String DEFAULT = "_INBOX";

  /** The setting that overrides the derived prefix. */
  public static final String SETTING = "MESH_NATS_INBOX_PREFIX";

  private NatsInbox() {}

  /**
   * {@code override} when set; else {@code _INBOX.<user>} for the first URL of {@code urls} (a
   * comma-separated list) that carries {@code user:password}; else {@link #DEFAULT}. A bare token
   * ({@code nats://token@host}) is a secret and never becomes part of a subject.
   *
   * @throws IllegalArgumentException when {@code override} is not a valid subject prefix
   */
  public static String prefix(String urls, @Nullable String override) {
    if (override != null && !override.isBlank()) {
      String p = override.strip();
      if (!p.matches("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*")) {
        throw new IllegalArgumentException(
            SETTING + " must be dot-separated tokens of A-Z a-z 0-9 _ -: " + p);
      }
      return p;
    }
    for (String url : java.util.regex.Pattern.compile(",").splitAsStream(urls).toList()) {
      String user = user(url.strip());
      if (user != null) {
        return DEFAULT + "." + user;
      }
    }
    return DEFAULT;
  }

  /**
   * {@code urls} as it may be shown (a log line, an error message): every password and every bare
   * token replaced by {@code ***}, the user kept.
   */
  public static String redact(String urls) {
    return CREDENTIALS
        .matcher(urls)
        .replaceAll(
            m ->
                java.util.regex.Matcher.quoteReplacement(
                    m.group(2) != null ? m.group(1) + ":***@" : "***@"));
  }

  /**
   * {@code urls} with every {@code user:password@} and bare {@code token@} removed: what may be
   * handed to someone who must bring credentials of their own.
   */
  public static String withoutCredentials(String urls) {
    return CREDENTIALS.matcher(urls).replaceAll("");
  }

  private static final java.util.regex.Pattern CREDENTIALS =
      java.util.regex.Pattern.compile("(?<=://)([^:@/,]*)(:[^/,]*)?@");

  /**
   * The user of a {@code user:password@} URL when it can be a subject token, else null. Parsed by
   * hand: schema uses no networking classes (SchemaArchitectureTest), and a user that needs
   * percent-encoding is not a valid id anyway.
   */
  private static @Nullable String user(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return null;
    }
    String rest = url.substring(scheme + 3);
    int end = rest.indexOf('/');
    String authority = end < 0 ? rest : rest.substring(0, end);
    int at = authority.lastIndexOf('@');
    if (at < 0) {
      return null;
    }
    String info = authority.substring(0, at);
    int colon = info.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String user = info.substring(0, colon);
    return Ids.isValid(user) ? user : null;
  }
}
