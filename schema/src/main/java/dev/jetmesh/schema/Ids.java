package dev.jetmesh.schema;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Identifier rules. Every id that becomes a NATS subject token (task, session, plan, node) must
 * match {@link #PATTERN}: no {@code .}, {@code *}, {@code >} or white space, bounded length. The
 * reference let a {@code .} in a task id break the recruit wildcard; jetmesh refuses such ids.
 */
public final class Ids {
  /** Longest accepted id. Plan ids embed a task id plus a timestamp, hence the headroom. */
  public static final int MAX_LENGTH = 200;

  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_\\-]{1," + MAX_LENGTH + "}");

  private Ids() {}

  /** True when {@code id} can be used as one subject token ({@link #PATTERN}). */
  public static boolean isValid(String id) {
    // The same rule as PATTERN, without a regex: every request checks a few ids.
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A random (version 4) UUID for event and request ids, from {@link ThreadLocalRandom}: {@link
   * UUID#randomUUID()} draws from one shared {@code SecureRandom}, which every request thread
   * queued on (3 % of the orchestrator's CPU samples under load). These ids need uniqueness, not
   * unpredictability: two draws from the thread's own generator (each thread's is seeded apart),
   * with the version and variant bits of a random UUID.
   */
  public static UUID randomUuid() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return new UUID(hi, lo);
  }

  /**
   * Returns {@code id} or throws {@link InvalidRequestException} naming the field.
   *
   * @param field the JSON field name, for the error message
   */
  public static String require(String field, String id) {
    if (!isValid(id)) {
      throw new InvalidRequestException(
          "Invalid "
              + field
              + ": must be 1-"
              + MAX_LENGTH
              + " characters of A-Z, a-z, 0-9, '_' or '-'");
    }
    return id;
  }
}
