package dev.jetmesh.orchestrator.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads what a nats-server sends its client one protocol operation at a time ({@code INFO}, {@code
 * MSG}, {@code HMSG}, {@code PING}, {@code PONG}, {@code +OK}, {@code -ERR}), each whole: a
 * message's line together with its body, whose length the line gives (a body may hold CRLF). For
 * {@link AckDroppingProxy}. Not thread-safe.
 */
final class NatsServerOps {
  /** One operation as received: its bytes, and for a message where its body's payload lies. */
  record Op(byte[] line, byte @Nullable [] body, int payloadFrom, int payloadTo) {
    boolean isMessage() {
      return body != null;
    }
  }

  private final BufferedInputStream in;

  NatsServerOps(InputStream raw) {
    this.in = new BufferedInputStream(raw, 64 * 1024);
  }

  /** The next operation, or null when the server closed the connection. */
  @Nullable Op next() throws IOException {
    byte[] line = readLine();
    if (line == null) {
      return null;
    }
    String head = new String(line, 0, Math.min(line.length, 5), StandardCharsets.US_ASCII);
    boolean msg = head.startsWith("MSG ");
    boolean hmsg = head.startsWith("HMSG ");
    if (!msg && !hmsg) {
      return new Op(line, null, 0, 0);
    }
    // MSG <subject> <sid> [reply-to] <#bytes>; HMSG ... <#header bytes> <#total bytes>
    String[] f = new String(line, StandardCharsets.US_ASCII).trim().split(" ");
    int total = Integer.parseInt(f[f.length - 1]);
    int headers = hmsg ? Integer.parseInt(f[f.length - 2]) : 0;
    byte[] body = in.readNBytes(total + 2); // the body and its CRLF
    if (body.length < total + 2) {
      return null;
    }
    return new Op(line, body, headers, total);
  }

  /** Whether nothing more has arrived yet: the time to pass on what was read. */
  boolean drained() throws IOException {
    return in.available() == 0;
  }

  private byte @Nullable [] readLine() throws IOException {
    var b = new ByteArrayOutputStream(128);
    int prev = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      b.write(c);
      if (prev == '\r' && c == '\n') {
        return b.toByteArray();
      }
      prev = c;
    }
  }
}
