package dev.jetmesh.orchestrator.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy in front of a nats-server that loses JetStream publish acknowledgements on the way
 * back to its clients: the publish is stored, the publisher never hears so. Everything else passes
 * byte for byte. It reads the server's side of the protocol ({@code INFO}, {@code MSG}, {@code
 * HMSG}, {@code PING}, {@code PONG}, {@code +OK}, {@code -ERR}) so that it can leave out exactly
 * one whole message, and nothing else, per acknowledgement it drops.
 *
 * <p>An acknowledgement is a message whose body is a publish ack ({@code {"stream":...,"seq":N}})
 * that is not itself a duplicate's ({@code "duplicate":true}): a retry with the same message id
 * gets its answer, as it would after a real loss. {@link #dropEvery} chooses which to drop.
 * Thread-safe.
 */
public final class AckDroppingProxy implements AutoCloseable {
  private static final Pattern ACK =
      Pattern.compile(
          "^\\{\\s*\"stream\"\\s*:\\s*\"[^\"]*\"\\s*,"
              + "(?:\\s*\"domain\"\\s*:\\s*\"[^\"]*\"\\s*,)?\\s*\"seq\"\\s*:\\s*(\\d+)");

  private static final Pattern DUPLICATE = Pattern.compile("\"duplicate\"\\s*:\\s*true");

  private final String upstreamHost;
  private final int upstreamPort;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Long> dropped = new ConcurrentLinkedQueue<>();
  private final Map<Long, Long> droppedAt = new ConcurrentHashMap<>();
  private final Map<Long, Long> duplicateAt = new ConcurrentHashMap<>();
  private final AtomicLong acks = new AtomicLong();
  private final AtomicInteger every = new AtomicInteger();
  private final AtomicInteger budget = new AtomicInteger();
  private volatile boolean closed;

  private AckDroppingProxy(String upstreamHost, int upstreamPort) throws IOException {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("ack-proxy-accept").start(this::accept);
  }

  /** A proxy to the nats-server at {@code natsUrl} ({@code nats://host:port}). */
  public static AckDroppingProxy to(String natsUrl) {
    Matcher m = Pattern.compile("^nats://([^:/]+):(\\d+)/?$").matcher(natsUrl);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a nats://host:port URL: " + natsUrl);
    }
    try {
      return new AckDroppingProxy(m.group(1), Integer.parseInt(m.group(2)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL clients connect to instead of the server's. */
  public String url() {
    return "nats://127.0.0.1:" + listener.getLocalPort();
  }

  /**
   * From now on, drops every {@code n}th acknowledgement (1: every one) until {@code max} have been
   * dropped; {@code max} 0 stops dropping. Forgets what was dropped before.
   */
  public void dropEvery(int n, int max) {
    if (n < 1 || max < 0) {
      throw new IllegalArgumentException("n >= 1 and max >= 0: " + n + ", " + max);
    }
    budget.set(0);
    dropped.clear();
    droppedAt.clear();
    duplicateAt.clear();
    every.set(n);
    acks.set(0);
    budget.set(max);
  }

  /** The stream sequences of the acknowledgements dropped so far, in the order dropped. */
  public List<Long> dropped() {
    return new ArrayList<>(dropped);
  }

  /**
   * How long after dropping the acknowledgement of {@code seq} the publisher got the answer to its
   * retry (the stream's duplicate acknowledgement for the same sequence), or null while it has not.
   */
  public @Nullable Duration retriedAfter(long seq) {
    Long dropAt = droppedAt.get(seq);
    Long dupAt = duplicateAt.get(seq);
    return dropAt == null || dupAt == null ? null : Duration.ofNanos(dupAt - dropAt);
  }

  /** Acknowledgements that came through the proxy since {@link #dropEvery}, dropped or passed. */
  public long acks() {
    return acks.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(upstreamHost, upstreamPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        Thread.ofPlatform()
            .daemon()
            .name("ack-proxy-up")
            .start(() -> pump(client, server, this::copy));
        Thread.ofPlatform()
            .daemon()
            .name("ack-proxy-down")
            .start(() -> pump(server, client, this::serverToClient));
      } catch (IOException e) {
        if (!closed) {
          // A failed upstream connect: the client's socket is closed by its own timeout.
          continue;
        }
      }
    }
  }

  private interface Pump {
    void run(InputStream in, OutputStream out) throws IOException;
  }

  /** Runs {@code p} until either side closes, then closes both. */
  private static void pump(Socket from, Socket to, Pump p) {
    try (from;
        to) {
      p.run(from.getInputStream(), to.getOutputStream());
    } catch (IOException e) {
      // One side went away: closing both tells the other.
    }
  }

  private void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
      out.flush();
    }
  }

  /**
   * Forwards the server's protocol one operation at a time. A line is read whole first, so a
   * message's header line and body are always forwarded or dropped together.
   */
  private void serverToClient(InputStream raw, OutputStream out) throws IOException {
    var in = new java.io.BufferedInputStream(raw, 64 * 1024);
    var pending = new ByteArrayOutputStream(64 * 1024);
    while (true) {
      byte[] line = readLine(in);
      if (line == null) {
        return;
      }
      byte[] body = null;
      String head = new String(line, 0, Math.min(line.length, 5), StandardCharsets.US_ASCII);
      if (head.startsWith("MSG ") || head.startsWith("HMSG ")) {
        String[] f = new String(line, StandardCharsets.US_ASCII).trim().split(" ");
        int total = Integer.parseInt(f[f.length - 1]);
        int headers = head.startsWith("HMSG ") ? Integer.parseInt(f[f.length - 2]) : 0;
        body = in.readNBytes(total + 2); // the body and its CRLF
        if (body.length < total + 2) {
          return;
        }
        if (drops(body, headers, total)) {
          continue;
        }
      }
      pending.write(line);
      if (body != null) {
        pending.write(body);
      }
      if (in.available() == 0 || pending.size() > 32 * 1024) {
        pending.writeTo(out);
        out.flush();
        pending.reset();
      }
    }
  }

  /** Whether this message is an acknowledgement to drop; counts and records it if so. */
  private boolean drops(byte[] body, int headers, int total) {
    String payload = new String(body, headers, total - headers, StandardCharsets.UTF_8);
    Matcher m = ACK.matcher(payload);
    if (!m.find()) {
      return false;
    }
    long seq = Long.parseLong(m.group(1));
    if (DUPLICATE.matcher(payload).find()) {
      if (droppedAt.containsKey(seq)) {
        duplicateAt.putIfAbsent(seq, System.nanoTime());
      }
      return false;
    }
    long n = acks.incrementAndGet();
    int e = every.get();
    if (e == 0 || n % e != 0) {
      return false;
    }
    if (budget.getAndUpdate(b -> Math.max(0, b - 1)) <= 0) {
      return false;
    }
    droppedAt.put(seq, System.nanoTime());
    dropped.add(seq);
    return true;
  }

  /** A line with its CRLF, or null at the end of the stream. */
  private static byte[] readLine(InputStream in) throws IOException {
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

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
