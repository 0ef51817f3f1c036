package dev.jetmesh.orchestrator.testing.hostile;

import dev.jetmesh.schema.ErrorCode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One hostile request and what must come back. {@code target} is the label figures are counted
 * under (a registered subject or an HTTP route template, never the raw hostile text), {@code
 * category} the kind of attack.
 */
public sealed interface Probe {
  String target();

  String category();

  Expect expect();

  /** A request on a wire subject; a reply is due, refused with the code {@code expect} names. */
  @SuppressWarnings("ArrayRecordComponent") // sent once, never compared
  record Wire(String target, String category, String subject, byte[] body, Expect expect)
      implements Probe {
    public Wire {
      Expect.requireCode(expect);
    }
  }

  /**
   * A message published where nobody replies ({@code mesh.health.*}): it must change nothing and
   * crash nothing.
   */
  @SuppressWarnings("ArrayRecordComponent")
  record Publish(String target, String category, String subject, byte[] body) implements Probe {
    @Override
    public Expect expect() {
      return Expect.NO_REPLY;
    }
  }

  /** An HTTP request; {@code pathAndQuery} is already encoded as it goes on the wire. */
  record Http(
      String target,
      String category,
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      Expect expect)
      implements Probe {
    public Http {
      Expect.requireCode(expect);
    }
  }

  /**
   * What a reply must be: a refusal with {@code code} (null only for {@link #NO_REPLY}), and, when
   * {@code detailPrefix} is set, a detail that starts (or, with {@code prefixBanned}, does not
   * start) with it.
   */
  record Expect(@Nullable ErrorCode code, @Nullable String detailPrefix, boolean prefixBanned) {
    public static final Expect NO_REPLY = new Expect(null, null, false);

    /** Every request expects one code: no attack may pass with "any refusal". */
    static void requireCode(Expect e) {
      if (e.code() == null) {
        throw new IllegalArgumentException("a request must expect one refusal code");
      }
    }

    public static Expect code(ErrorCode code) {
      return new Expect(code, null, false);
    }

    /** Refused with {@code code} and a detail starting with {@code prefix}. */
    public static Expect detail(ErrorCode code, String prefix) {
      return new Expect(code, prefix, false);
    }

    /** Refused with {@code code}, but not for the reason {@code prefix} names. */
    public static Expect notFor(ErrorCode code, String prefix) {
      return new Expect(code, prefix, true);
    }
  }
}
