package dev.jetmesh.orchestrator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.schema.Subjects;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Given a router that has just started, when a client sends a request at once, then the router
 * answers it: start returns only once NATS has its subscriptions. Before that, a request sent right
 * after an orchestrator started could meet "no responders" (a test saw it under load).
 */
class RequestRouterStartIT {
  private static final int STARTS = 100;

  @Test
  void aRequestSentRightAfterStart_isAnswered_everyTime() throws Exception {
    int unanswered = 0;
    try (TestNats nats = TestNats.start();
        Connection client = Nats.connect(nats.url())) {
      for (int i = 0; i < STARTS; i++) {
        try (Connection server = Nats.connect(nats.url());
            RequestRouter router =
                new RequestRouter(server, 64 * 1024, new SimpleMeterRegistry())) {
          router.route(Subjects.tasks("get"), body -> "served");
          router.start(Subjects.TASKS_ALL);
          CompletableFuture<Message> reply = client.request(Subjects.tasks("get"), new byte[0]);
          if (!answered(reply)) {
            unanswered++;
          }
        }
      }
    }
    assertThat(unanswered).as("requests of %d met no responder", STARTS).isZero();
  }

  private static boolean answered(CompletableFuture<Message> reply)
      throws InterruptedException, java.util.concurrent.TimeoutException {
    try {
      return reply.get(5, TimeUnit.SECONDS) != null;
    } catch (CancellationException | ExecutionException e) {
      return false; // NATS's "no responders"
    }
  }
}
