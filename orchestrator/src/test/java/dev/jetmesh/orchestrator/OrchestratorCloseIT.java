package dev.jetmesh.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.projection.Projector;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Closing a real orchestrator when the closing thread is interrupted, as a shutdown hook or a test
 * runner's timeout may be: every part must still close (an interrupt used to end the close at the
 * first part that waited, leaving the rest open), and the interrupt must survive for the caller.
 */
class OrchestratorCloseIT {
  @Test
  void anInterruptedClose_stillClosesEveryPart_andKeepsTheInterrupt() throws Exception {
    try (TestMesh mesh = TestMesh.start(Map.of())) {
      // given a running orchestrator that projects and serves
      Orchestrator o = mesh.orchestrator();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> o.projector().state() == Projector.State.RUNNING);
      int port = o.httpPort();
      assertThat(accepts(port)).isTrue();

      // when it is closed by a thread that is interrupted
      Thread.currentThread().interrupt();
      Throwable thrown = catchThrowable(mesh::stopOrchestrator); // Orchestrator.close, once
      boolean interrupted = Thread.interrupted(); // read, and cleared for the rest of the test

      // then it closed without failing, and the interrupt is still there for the caller
      assertThat(thrown).isNull();
      assertThat(interrupted).as("interrupt kept").isTrue();
      // and every part is closed: the sweeps, the projector, both NATS connections, HTTP, the pool
      assertThat(o.sweeperStopped()).isTrue();
      assertThat(o.projector().state()).isEqualTo(Projector.State.STOPPED);
      assertThat(o.natsConnected()).isFalse();
      assertThat(accepts(port)).as("HTTP port still open").isFalse();
      assertThatThrownBy(() -> o.database().rawConnection().close())
          .as("the pool hands out no connection")
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("closed");
    }
  }

  private static boolean accepts(int port) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (ConnectException e) {
      return false;
    }
  }
}
