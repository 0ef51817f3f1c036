package dev.jetmesh.schema;

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

  /** True when {@code id} can be used as one subject token. */
  public static boolean isValid(String id) {
    return id != null && PATTERN.matcher(id).matches();
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
