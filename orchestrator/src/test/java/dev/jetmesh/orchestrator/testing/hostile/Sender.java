package dev.jetmesh.orchestrator.testing.hostile;

import io.nats.client.Connection;
import io.nats.client.Message;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Sends one probe and judges the reply ({@link Verdict}) into a {@link Tally}. Blocking; called
 * from many virtual threads at once. Thread-safe.
 */
final class Sender {
  /** Longest wait for a reply: far above any handler's own bounded waits (2-3 s). */
  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);

  private final Connection nc;
  private final HttpClient http;
  private final String httpBase;
  private final Tally tally;

  Sender(Connection nc, HttpClient http, String httpBase, Tally tally) {
    this.nc = nc;
    this.http = http;
    this.httpBase = httpBase;
    this.tally = tally;
  }

  void send(Probe p) {
    switch (p) {
      case Probe.Wire w -> tally.record(w, wire(w), w.subject() + " " + utf8(w.body()));
      case Probe.Publish b -> {
        nc.publish(b.subject(), b.body());
        tally.published(b);
      }
      case Probe.Http h ->
          tally.record(h, http(h), h.method() + " " + h.pathAndQuery() + " " + h.headers());
    }
  }

  private Verdict wire(Probe.Wire w) {
    try {
      Message m = nc.request(w.subject(), w.body(), REPLY_TIMEOUT);
      return m == null ? Verdict.noReply("timeout") : Verdict.wire(m.getData(), w.expect());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.noReply("interrupted");
    } catch (IllegalArgumentException e) {
      return Verdict.notSent(e);
    } catch (RuntimeException e) {
      return Verdict.noReply(e.toString());
    }
  }

  private Verdict http(Probe.Http h) {
    HttpRequest req;
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(httpBase + h.pathAndQuery()))
              .timeout(REPLY_TIMEOUT)
              .method(h.method(), HttpRequest.BodyPublishers.noBody());
      for (Map.Entry<String, String> e : h.headers().entrySet()) {
        b.header(e.getKey(), e.getValue());
      }
      req = b.build();
    } catch (IllegalArgumentException e) {
      return Verdict.notSent(e);
    }
    try {
      return http(req, h);
    } catch (IOException e) {
      // A connection the server closed after its last answer (it closes after some errors) may
      // have been taken from the pool: once more on a fresh one.
      try {
        return http(req, h);
      } catch (IOException again) {
        return Verdict.noReply(again.toString());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return Verdict.noReply("interrupted");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.noReply("interrupted");
    }
  }

  private Verdict http(HttpRequest req, Probe.Http h) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    String type = r.headers().firstValue("Content-Type").orElse(null);
    String body;
    try (InputStream in = r.body()) {
      // An event stream that opened would never end: its first bytes are enough.
      body =
          type != null && type.startsWith("text/event-stream")
              ? utf8(in.readNBytes(64))
              : utf8(in.readAllBytes());
    }
    return Verdict.http(r.statusCode(), type, body, h.expect());
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
