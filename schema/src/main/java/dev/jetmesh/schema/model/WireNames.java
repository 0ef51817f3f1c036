package dev.jetmesh.schema.model;

import dev.jetmesh.schema.InvalidRequestException;
import java.util.List;

/**
 * Parsing of the closed sets of words the wire spells in lower case (collab mode, convergence type,
 * vote), with one message shape for an unknown word: {@code Invalid <field> '<value>': must be a, b
 * or c}. Stateless.
 */
final class WireNames {
  /** Longest part of a refused value echoed back in the message. */
  private static final int ECHO = 40;

  private WireNames() {}

  /** A named value of a closed set. */
  interface Named {
    String wire();
  }

  /**
   * The member of {@code allowed} spelled {@code value}.
   *
   * @throws InvalidRequestException naming {@code field} and the allowed words
   */
  static <T extends Named> T parse(String field, String value, List<T> allowed) {
    for (T t : allowed) {
      if (t.wire().equals(value)) {
        return t;
      }
    }
    throw new InvalidRequestException(
        "Invalid " + field + " '" + clip(String.valueOf(value)) + "': must be " + list(allowed));
  }

  /** {@code a, b or c}. */
  static String list(List<? extends Named> allowed) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < allowed.size(); i++) {
      if (i > 0) {
        sb.append(i == allowed.size() - 1 ? " or " : ", ");
      }
      sb.append(allowed.get(i).wire());
    }
    return sb.toString();
  }

  private static String clip(String s) {
    return s.length() > ECHO ? s.substring(0, ECHO) + "..." : s;
  }
}
