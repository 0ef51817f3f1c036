package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.cli.RebuildCommand;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Given a stream whose last events a pull takes from the rebuild's consumer and never acknowledges,
 * when {@code jetmesh rebuild} runs, then it repositions its consumer within seconds and finishes,
 * instead of waiting for the consumer's 30 s ack wait: nothing newer comes to show the gap, so the
 * rebuild has to notice by itself ({@link StallWatch}), as the projector does.
 */
class RebuildStallIT {
  private static final int TASKS = 120;
  private static final Duration ACK_WAIT = Duration.ofSeconds(30);

  @Test
  void replace_whenAPullTakesTheLastEvents_finishesWellBeforeTheAckWait() throws Exception {
    try (TestMesh mesh = TestMesh.start(Map.of());
        MeshClient client = mesh.client()) {
      for (int i = 0; i < TASKS; i++) {
        client.task("submit", Map.of("task_id", "tail-" + i, "title", "Tail " + i));
      }
      mesh.awaitProjected();
      mesh.stopOrchestrator();
      Map<String, String> env = new HashMap<>(mesh.env());
      env.put("MESH_PROJECTOR_BATCH", "1"); // one fetch per event: the other pull gets the tail
      OrchestratorConfig config = OrchestratorConfig.from(env);
      long last = lastSequence(mesh, config.stream());

      // A run is conclusive only if the other pull took the stream's last event: when it takes
      // some before it, the next batch shows the gap (RebuildIT covers that). Each run rebuilds
      // the same stream again.
      for (int run = 0; run < 5; run++) {
        AtomicLong stolenLast = new AtomicLong();
        Thread thief =
            Thread.ofPlatform().start(() -> stealTheTail(mesh, config.stream(), last, stolenLast));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int exit =
            RebuildCommand.execute(
                config, new PrintWriter(out, true), new PrintWriter(err, true), new String[0]);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        thief.join(ACK_WAIT.toMillis());

        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("all 12 tables equal");
        if (stolenLast.get() == last) {
          assertThat(err.toString()).contains("did not arrive; repositioning the consumer there");
          assertThat(took).as("rebuild time").isLessThan(ACK_WAIT.dividedBy(2));
          return;
        }
      }
      throw new AssertionError("the other pull never took the last event in 5 runs");
    }
  }

  /**
   * Once the rebuild's consumer has acknowledged all but the last 20 events, pulls what it can and
   * never acknowledges; records the highest sequence it took.
   */
  private static void stealTheTail(TestMesh mesh, String stream, long last, AtomicLong stolen) {
    long deadline = System.nanoTime() + ACK_WAIT.toNanos();
    try (Connection nc = Nats.connect(mesh.nats().url())) {
      while (System.nanoTime() < deadline) {
        try {
          ConsumerInfo info = nc.jetStreamManagement().getConsumerInfo(stream, "jetmesh-rebuild");
          if (info.getAckFloor() == null || info.getAckFloor().getStreamSequence() < last - 20) {
            Thread.sleep(5); // asks the server again: waits for a state, not for time
            continue;
          }
          ConsumerContext cc = nc.getConsumerContext(stream, "jetmesh-rebuild");
          try (FetchConsumer fc =
              cc.fetch(FetchConsumeOptions.builder().maxMessages(50).expiresIn(3000).build())) {
            for (Message m = fc.nextMessage(); m != null; m = fc.nextMessage()) {
              stolen.accumulateAndGet(m.metaData().streamSequence(), Math::max);
            }
          }
          return;
        } catch (JetStreamApiException | IOException | IllegalStateException e) {
          Thread.sleep(5); // the consumer is not created yet
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("the other pull failed", e);
    }
  }

  private static long lastSequence(TestMesh mesh, String stream) throws Exception {
    try (Connection nc = Nats.connect(mesh.nats().url())) {
      return nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getLastSequence();
    }
  }
}
