package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jetmesh.schema.InvalidRequestException;
import java.util.Objects;

/**
 * What a reflection's {@code vote} field says: a {@link Vote}, or, only in a reflection that failed
 * to parse, whatever text the agent sent ({@code parse_error} from the reference's parser, or the
 * invalid word it found: REFERENCE.md section 4.9). Either way it is one JSON string, kept as sent.
 */
public sealed interface ReflectionVote permits Vote, ReflectionVote.Unparsed {
  /** Longest vote text a reflection may carry. */
  int MAX_LENGTH = 64;

  /** The text on the wire. */
  @JsonValue
  String wire();

  /**
   * The vote of a {@code mesh.collab.reflect} request, as the reference defaults it: a reflection
   * that parsed must cast a {@link Vote} ({@code continue} when absent); one that failed keeps
   * whatever it sent ({@code parse_error} when absent), and it never counts.
   *
   * @throws InvalidRequestException {@code Invalid vote 'X': must be continue, converged or
   *     blocked}, or for a text longer than {@link #MAX_LENGTH}
   */
  static ReflectionVote ofRequest(String text, boolean parseFailed) {
    if (!parseFailed) {
      return text == null ? Vote.CONTINUE : Vote.fromWire(text);
    }
    if (text == null) {
      return Unparsed.PARSE_ERROR;
    }
    if (text.length() > MAX_LENGTH) {
      throw new InvalidRequestException("vote is too long (max " + MAX_LENGTH + " characters)");
    }
    return fromWire(text);
  }

  /** A {@link Vote} when {@code text} spells one, else {@link Unparsed}. */
  @JsonCreator
  static ReflectionVote fromWire(String text) {
    for (Vote v : Vote.values()) {
      if (v.wire().equals(text)) {
        return v;
      }
    }
    return new Unparsed(text);
  }

  /** The vote text of a reflection that failed to parse; it never counts as a vote. */
  record Unparsed(String text) implements ReflectionVote {
    /** What the reference's parser sends when it found no vote. */
    public static final Unparsed PARSE_ERROR = new Unparsed("parse_error");

    public Unparsed {
      Objects.requireNonNull(text, "null vote");
    }

    @JsonValue
    @Override
    public String wire() {
      return text;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
