package dev.jetmesh.worker.collab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.wire.CollabRequests;
import dev.jetmesh.worker.mesh.CollabCommands;
import dev.jetmesh.worker.mesh.CollabWire;
import dev.jetmesh.worker.mesh.RejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Given what the orchestrator says about a round (its notification or an assignment), when this
 * member reflects or checks, then the coordinator votes it cast. No I/O: the session's requests go
 * to a recording stand-in.
 */
class CoordinatorVotesTest {
  private final Recorder mesh = new Recorder();
  private final CoordinatorVotes votes =
      new CoordinatorVotes(new SessionRequests(mesh, "s1", "me"), "me");

  private static CollabWire.Round round(
      int n, String coordinator, Boolean reflected, Boolean voted) {
    return new CollabWire.Round(
        "s1",
        "t1",
        n,
        "",
        List.of("*"),
        "worker",
        "parallel",
        null,
        "shared",
        reflected,
        coordinator,
        voted,
        List.of());
  }

  private static Reflection converged() {
    return new Reflection("all green", "", 0.9, "converged", false);
  }

  @Test
  void theCoordinator_votesRightAfterItsReflection_withTheVerdictOfIt() {
    votes.reflected(round(2, "me", null, false), converged());
    assertThat(mesh.votes)
        .containsExactly(
            new CollabRequests.Vote("s1", "me", 2, "converged", "converged: all green"));
  }

  @Test
  void anotherMember_orASessionWithoutCoordinator_castsNoVote() {
    votes.reflected(round(1, "other", null, false), converged());
    votes.reflected(round(2, null, null, null), converged());
    assertThat(mesh.votes).isEmpty();
  }

  @Test
  void seatPassedToThisMember_afterItReflected_theCheckCastsItsVerdict() {
    votes.reflected(round(1, "other", null, false), converged());
    votes.check(round(1, "me", true, false));
    assertThat(mesh.votes)
        .containsExactly(
            new CollabRequests.Vote("s1", "me", 1, "converged", "converged: all green"));
  }

  @Test
  void lostVote_isCastAgainOnTheCheck_butNotOnceTheRoundHasIt() {
    mesh.refuse = true;
    votes.reflected(round(1, "me", null, false), converged());
    mesh.refuse = false;
    votes.check(round(1, "me", true, true));
    assertThat(mesh.votes).as("refused, then recorded by someone").hasSize(1);
    votes.check(round(1, "me", true, false));
    assertThat(mesh.votes).hasSize(2);
  }

  @Test
  void check_castsNothing_forAnotherRound_beforeReflecting_orForAnotherCoordinator() {
    votes.reflected(round(1, "other", null, false), converged());
    votes.check(round(2, "me", true, false));
    votes.check(round(1, "me", false, false));
    votes.check(round(1, "other", true, false));
    assertThat(mesh.votes).isEmpty();
    new CoordinatorVotes(new SessionRequests(mesh, "s1", "me"), "me")
        .check(round(1, "me", true, false));
    assertThat(mesh.votes).as("nothing reflected, nothing to cast").isEmpty();
  }

  /** Records the votes; refuses them while {@code refuse} is set. Only votes are expected. */
  private static final class Recorder implements CollabCommands {
    final List<CollabRequests.Vote> votes = new ArrayList<>();
    boolean refuse;

    @Override
    public void vote(CollabRequests.Vote vote) {
      votes.add(vote);
      if (refuse) {
        throw new RejectedException(ErrorCode.CONFLICT, "Session s1 has no open round to vote on");
      }
    }

    @Override
    public JsonNode join(CollabRequests.Join join) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void leave(CollabRequests.Leave leave) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CollabWire.Status status(String sessionId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<String> find(String taskId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<CollabWire.Recruit> recruiting() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void reflect(CollabRequests.Reflect reflect) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<CollabWire.Round> assignment(String sessionId, String nodeId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AutoCloseable subscribeRounds(
        String sessionId, String nodeId, Consumer<CollabWire.Round> handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AutoCloseable subscribeRecruits(Consumer<CollabWire.Recruit> handler) {
      throw new UnsupportedOperationException();
    }
  }
}
