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
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy in front of a nats-server that loses JetStream publish acknowledgements on the way
 * back to its clients: the publish is stored, the publisher never hears so. Everything else passes
 * byte for byte, in order. It reads the server's side of the protocol ({@link NatsServerOps}) so
 * that it leaves out exactly one whole message, and nothing else, per acknowledgement it drops.
 *
 * <p>An acknowledgement is a message whose body is a publish ack ({@code {"stream":...,"seq":N}})
 * that is not itself a duplicate's ({@code "duplicate":true}): a retry with the same message id
 * gets its answer, as it would after a real loss, and the proxy notes when ({@link #retriedAfter}).
 * {@link #dropEvery} chooses which to drop. Thread-safe.
 */
public final class AckDroppingProxy implements AutoCloseable {
  private static final Pattern ACK =
      Pattern.compile(
          "^\\{\\s*\"stream\"\\s*:\\s*\"[^\"]*\"\\s*,"
              + "(?:\\s*\"domain\"\\s*:\\s*\"[^\"]*\"\\s*,)?\\s*\"seq\"\\s*:\\s*(\\d+)");

  private static final Pattern DUPLICATE = Pattern.compile("\"duplicate\"\\s*:\\s*true");

  /** Longer than any publish ack; longer bodies (events delivered to a projector) are not read. */
  private static final int ACK_MAX_BYTES = 512;

  /** What to drop from {@link #dropEvery} on, and what was. */
  private record Round(
      int every,
      AtomicInteger budget,
      AtomicLong acks,
      ConcurrentLinkedQueue<Long> dropped,
      Map<Long, Long> droppedAt,
      Map<Long, Long> duplicateAt) {
    Round(int every, int max) {
      this(
          every,
          new AtomicInteger(max),
          new AtomicLong(),
          new ConcurrentLinkedQueue<>(),
          new ConcurrentHashMap<>(),
          new ConcurrentHashMap<>());
    }
  }

  private final String upstreamHost;
  private final int upstreamPort;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicReference<Round> round = new AtomicReference<>(new Round(1, 0));
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
    String host = listener.getInetAddress().getHostAddress();
    return "nats://"
        + (host.contains(":") ? "[" + host + "]" : host)
        + ":"
        + listener.getLocalPort();
  }

  /**
   * From now on, drops every {@code n}th acknowledgement (1: every one) until {@code max} have been
   * dropped; {@code max} 0 stops dropping. Forgets what was dropped before.
   */
  public void dropEvery(int n, int max) {
    if (n < 1 || max < 0) {
      throw new IllegalArgumentException("n >= 1 and max >= 0: " + n + ", " + max);
    }
    round.set(new Round(n, max));
  }

  /** The stream sequences of the acknowledgements dropped so far, in the order dropped. */
  public List<Long> dropped() {
    return new ArrayList<>(round.get().dropped());
  }

  /**
   * How long after dropping the acknowledgement of {@code seq} the publisher got the answer to its
   * retry (the stream's duplicate acknowledgement for the same sequence), or null while it has not.
   */
  public @Nullable Duration retriedAfter(long seq) {
    Round r = round.get();
    Long dropAt = r.droppedAt().get(seq);
    Long dupAt = r.duplicateAt().get(seq);
    return dropAt == null || dupAt == null ? null : Duration.ofNanos(dupAt - dropAt);
  }

  /** Acknowledgements that came through the proxy since {@link #dropEvery}, dropped or passed. */
  public long acks() {
    return round.get().acks().get();
  }

  private void accept() {
    while (!closed && !listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        continue; // closed (the loop ends), or a connection that failed before it was accepted
      }
      sockets.add(client);
      try {
        Socket server = new Socket(upstreamHost, upstreamPort);
        sockets.add(server);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        Thread.ofPlatform().daemon().name("ack-proxy-up").start(() -> pump(client, server, false));
        Thread.ofPlatform().daemon().name("ack-proxy-down").start(() -> pump(server, client, true));
      } catch (IOException e) {
        closeQuietly(client); // the server is gone: so is this client's connection
      }
      if (closed) {
        sockets.forEach(AckDroppingProxy::closeQuietly);
      }
    }
  }

  /** Copies {@code from} to {@code to} until either side closes, then closes both. */
  private void pump(Socket from, Socket to, boolean fromServer) {
    try (from;
        to) {
      if (fromServer) {
        serverToClient(from.getInputStream(), to.getOutputStream());
      } else {
        from.getInputStream().transferTo(new FlushingStream(to.getOutputStream()));
      }
    } catch (IOException e) {
      // One side went away: closing both tells the other.
    }
  }

  /**
   * Passes the server's operations on, less the acknowledgements dropped. What has arrived is
   * written together and flushed once nothing more is waiting, so nothing is held back.
   */
  private void serverToClient(InputStream raw, OutputStream out) throws IOException {
    NatsServerOps ops = new NatsServerOps(raw);
    var pending = new ByteArrayOutputStream(64 * 1024);
    for (NatsServerOps.Op op = ops.next(); op != null; op = ops.next()) {
      if (!(op.isMessage() && drops(op))) {
        pending.write(op.line());
        if (op.body() != null) {
          pending.write(op.body());
        }
      }
      if (ops.drained() || pending.size() > 32 * 1024) {
        pending.writeTo(out);
        out.flush();
        pending.reset();
      }
    }
  }

  /** Whether this message is an acknowledgement to drop; counts and records it if so. */
  private boolean drops(NatsServerOps.Op op) {
    byte[] body = op.body();
    int from = op.payloadFrom();
    int length = op.payloadTo() - from;
    if (body == null || length > ACK_MAX_BYTES || length == 0 || body[from] != '{') {
      return false;
    }
    String payload = new String(body, from, length, StandardCharsets.UTF_8);
    Matcher m = ACK.matcher(payload);
    if (!m.find()) {
      return false;
    }
    Round r = round.get();
    long seq = Long.parseLong(m.group(1));
    if (DUPLICATE.matcher(payload).find()) {
      if (r.droppedAt().containsKey(seq)) {
        r.duplicateAt().putIfAbsent(seq, System.nanoTime());
      }
      return false;
    }
    if (r.acks().incrementAndGet() % r.every() != 0
        || r.budget().getAndUpdate(b -> Math.max(0, b - 1)) <= 0) {
      return false;
    }
    r.droppedAt().put(seq, System.nanoTime());
    r.dropped().add(seq);
    return true;
  }

  /** Flushes after every write: the client's bytes go on as soon as they come. */
  private static final class FlushingStream extends OutputStream {
    private final OutputStream out;

    FlushingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      out.flush();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      out.flush();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
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
    sockets.forEach(AckDroppingProxy::closeQuietly);
  }
}
