package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** A connection as one of the generated users, recording the server's refusals. */
final class NatsPeer implements AutoCloseable {
  final Connection nc;
  final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

  private NatsPeer(String url, String user) throws Exception {
    this.nc =
        Nats.connect(
            Options.builder()
                .server(url)
                .inboxPrefix("_INBOX." + user)
                .errorListener(
                    new ErrorListener() {
                      @Override
                      public void errorOccurred(Connection conn, String error) {
                        errors.add(error);
                      }
                    })
                .build());
  }

  static NatsPeer as(String url, String user) throws Exception {
    return new NatsPeer(url, user);
  }

  List<String> violations() {
    return errors.stream().filter(e -> e.contains("Permissions Violation")).toList();
  }

  void awaitViolation(String what) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> violations().stream().anyMatch(v -> v.contains(what)));
  }

  JsonNode request(String subject, Object body) throws Exception {
    Message m = nc.request(subject, Json.mapper().writeValueAsBytes(body), Duration.ofSeconds(10));
    assertThat(m).as("reply on " + subject).isNotNull();
    return Json.mapper().readTree(m.getData());
  }

  JsonNode ok(String subject, Object body) throws Exception {
    JsonNode r = request(subject, body);
    assertThat(r.path("ok").asBoolean()).as(subject + ": " + r).isTrue();
    return r.path("data");
  }

  /** The request goes nowhere: the server drops it, nobody answers. */
  void noReply(String subject, Object body) throws Exception {
    CompletableFuture<Message> f =
        nc.requestWithTimeout(
            subject, Json.mapper().writeValueAsBytes(body), Duration.ofSeconds(1));
    assertThatThrownBy(() -> f.get(3, TimeUnit.SECONDS)).as(subject).isNotNull();
  }

  @Override
  public void close() throws InterruptedException {
    nc.close();
  }
}
