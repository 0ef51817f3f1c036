package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.failed;
import static dev.jetmesh.orchestrator.collab.CollabGiven.reflection;
import static dev.jetmesh.orchestrator.collab.CollabGiven.round;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.testing.Property;
import dev.jetmesh.schema.model.CollabConvergence;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabTally;
import dev.jetmesh.schema.model.ConvergenceType;
import dev.jetmesh.schema.model.Vote;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Properties of the vote count and of every convergence type over generated rounds: any number of
 * reflections (parsed or not, any vote, metric passed, failed or absent), any coordinator vote, any
 * threshold and quorum. The expected answer is computed from the reflections themselves, not from
 * the tally.
 */
class ConvergencePropertiesTest {

  /** A generated round and the rule it is evaluated under. */
  record Case(List<CollabReflection> reflections, Vote coordinatorVote, CollabConvergence rule) {
    CollabRound round() {
      return CollabGiven.round(reflections, coordinatorVote);
    }

    boolean converged() {
      return Convergence.converged(rule, VoteTally.of(round()));
    }

    List<CollabReflection> valid() {
      return reflections.stream().filter(r -> !r.parseFailed()).toList();
    }

    /** Every type needs a reflection and min_quorum valid votes. */
    boolean quorum() {
      return !reflections.isEmpty() && valid().size() >= rule.minQuorum();
    }

    long convergedVotes() {
      return valid().stream().filter(r -> r.vote() == Vote.CONVERGED).count();
    }

    Case with(CollabReflection more) {
      List<CollabReflection> l = new ArrayList<>(reflections);
      l.add(more);
      return new Case(l, coordinatorVote, rule);
    }

    Case typed(ConvergenceType type) {
      return new Case(
          reflections,
          coordinatorVote,
          new CollabConvergence(type, rule.threshold(), null, rule.minQuorum(), null, null, null));
    }
  }

  private static final Vote[] VOTES = Vote.values();

  private static CollabReflection anyReflection(Random r, int i) {
    String node = "n" + i;
    if (r.nextInt(5) == 0) {
      return failed(node);
    }
    Boolean metric =
        switch (r.nextInt(3)) {
          case 0 -> null;
          case 1 -> Boolean.TRUE;
          default -> Boolean.FALSE;
        };
    // converged is drawn more often so that converging rounds are common
    Vote vote = r.nextInt(2) == 0 ? Vote.CONVERGED : VOTES[r.nextInt(VOTES.length)];
    return reflection(node, vote, metric);
  }

  private static Case anyCase(Random r) {
    int n = r.nextInt(9);
    List<CollabReflection> refl = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      refl.add(anyReflection(r, i));
    }
    Vote coordinator =
        switch (r.nextInt(3)) {
          case 0 -> null;
          case 1 -> Vote.CONVERGED;
          default -> Vote.CONTINUE;
        };
    double threshold =
        switch (r.nextInt(4)) {
          case 0 -> 0.5;
          case 1 -> 0.66;
          case 2 -> 1.0;
          default -> 1 - r.nextDouble(); // (0, 1]
        };
    ConvergenceType type = ConvergenceType.values()[r.nextInt(ConvergenceType.values().length)];
    return new Case(
        refl,
        coordinator,
        new CollabConvergence(type, threshold, null, r.nextInt(7), null, null, null));
  }

  private static Case anyCase(Random r, ConvergenceType type) {
    return anyCase(r).typed(type);
  }

  /** The case without one of its reflections, or without its coordinator vote. */
  private static Stream<Case> smaller(Case c) {
    Stream<Case> fewer =
        IntStream.range(0, c.reflections().size())
            .mapToObj(
                i -> {
                  List<CollabReflection> l = new ArrayList<>(c.reflections());
                  l.remove(i);
                  return new Case(l, c.coordinatorVote(), c.rule());
                });
    return c.coordinatorVote() == null
        ? fewer
        : Stream.concat(fewer, Stream.of(new Case(c.reflections(), null, c.rule())));
  }

  private static Property<Case> cases() {
    return Property.forAll(ConvergencePropertiesTest::anyCase)
        .shrinking(ConvergencePropertiesTest::smaller);
  }

  private static Property<Case> cases(ConvergenceType type) {
    return Property.forAll(r -> anyCase(r, type)).shrinking(ConvergencePropertiesTest::smaller);
  }

  // ---- the vote count
  // ----------------------------------------------------------------------------

  @Test
  void tally_countsEveryReflectionOnce_andParseFailuresNeverAsVotes() {
    cases()
        .check(
            c -> {
              CollabTally t = VoteTally.of(c.round());
              assertThat(t.reflections()).isEqualTo(c.reflections().size());
              assertThat(t.valid()).isEqualTo(c.valid().size());
              assertThat(t.valid() + t.parseFailed()).isEqualTo(t.reflections());
              assertThat(t.convergedVotes() + t.continueVotes() + t.blockedVotes())
                  .isEqualTo(t.valid());
              assertThat(t.convergedVotes()).isEqualTo(c.convergedVotes());
              assertThat(t.metricPassed() + t.metricFailed()).isLessThanOrEqualTo(t.valid());
              assertThat(t.coordinatorVote()).isEqualTo(c.coordinatorVote());
            });
  }

  @Test
  void tally_andConvergence_doNotDependOnTheOrderOfReflections() {
    Property.forAll(r -> new Object[] {anyCase(r), r.nextLong()})
        .check(
            x -> {
              Case c = (Case) x[0];
              List<CollabReflection> shuffled = new ArrayList<>(c.reflections());
              Collections.shuffle(shuffled, new Random((long) x[1]));
              Case d = new Case(shuffled, c.coordinatorVote(), c.rule());
              assertThat(VoteTally.of(d.round())).isEqualTo(VoteTally.of(c.round()));
              assertThat(d.converged()).isEqualTo(c.converged());
            });
  }

  // ---- every type
  // --------------------------------------------------------------------------------

  @Test
  void noType_convergesWithoutAReflection_orBelowQuorum() {
    cases()
        .check(
            c -> {
              if (!c.quorum()) {
                assertThat(c.converged()).as("converged below quorum").isFalse();
              }
            });
  }

  @Test
  void outcome_isConverged_elseMaxRoundsFromTheLastRound_elseNextRound() {
    Property.forAll(r -> new int[] {r.nextInt(2), 1 + r.nextInt(10), 1 + r.nextInt(10)})
        .check(
            x -> {
              boolean converged = x[0] == 1;
              String expected =
                  converged ? "converged" : x[1] >= x[2] ? "max_rounds" : "next_round";
              assertThat(Convergence.outcome(converged, x[1], x[2])).isEqualTo(expected);
            });
  }

  // ---- unanimous
  // ---------------------------------------------------------------------------------

  @Test
  void unanimous_converges_iffEveryReflectionParsedAndVotedConverged_withQuorum() {
    cases(ConvergenceType.UNANIMOUS)
        .check(
            c -> {
              boolean everyoneConverged =
                  c.reflections().stream()
                      .allMatch(r -> !r.parseFailed() && r.vote() == Vote.CONVERGED);
              assertThat(c.converged()).isEqualTo(c.quorum() && everyoneConverged);
            });
  }

  @Test
  void unanimous_addingADissentOrAParseFailure_neverConverges() {
    Property.forAll(r -> new Object[] {anyCase(r, ConvergenceType.UNANIMOUS), r.nextInt(3)})
        .check(
            x -> {
              Case c = (Case) x[0];
              CollabReflection dissent =
                  switch ((int) x[1]) {
                    case 0 -> reflection("dissent", Vote.CONTINUE);
                    case 1 -> reflection("dissent", Vote.BLOCKED);
                    default -> failed("dissent");
                  };
              assertThat(c.with(dissent).converged()).isFalse();
            });
  }

  // ---- majority
  // ----------------------------------------------------------------------------------

  @Test
  void majority_converges_iffTheConvergedShareReachesTheThreshold_withQuorum() {
    cases(ConvergenceType.MAJORITY)
        .check(
            c -> {
              int valid = c.valid().size();
              boolean share =
                  valid > 0 && (double) c.convergedVotes() / valid >= c.rule().threshold();
              assertThat(c.converged()).isEqualTo(c.quorum() && share);
            });
  }

  @Test
  void majority_neverConverges_belowQuorum_evenWhenEveryVoteConverged() {
    Property.forAll(
            r -> {
              int quorum = 1 + r.nextInt(6);
              List<CollabReflection> refl = new ArrayList<>();
              for (int i = 0; i < r.nextInt(quorum); i++) {
                refl.add(reflection("n" + i, Vote.CONVERGED));
              }
              for (int i = 0; i < r.nextInt(3); i++) {
                refl.add(failed("f" + i));
              }
              return new Case(
                  refl,
                  Vote.CONVERGED,
                  new CollabConvergence(
                      ConvergenceType.MAJORITY, 0.5, null, quorum, null, null, null));
            })
        .check(c -> assertThat(c.converged()).isFalse());
  }

  @Test
  void majority_addingAConvergedVote_keepsAConvergedRoundConverged() {
    cases(ConvergenceType.MAJORITY)
        .check(
            c -> {
              if (c.converged()) {
                assertThat(c.with(reflection("more", Vote.CONVERGED)).converged()).isTrue();
              }
            });
  }

  @Test
  void majority_parseFailures_countNeitherForNorAgainst() {
    cases(ConvergenceType.MAJORITY)
        .check(
            c -> {
              if (!c.reflections().isEmpty()) {
                assertThat(c.with(failed("garbled")).converged()).isEqualTo(c.converged());
              }
            });
  }

  // ---- coordinator
  // -------------------------------------------------------------------------------

  @Test
  void coordinator_convergesOnTheCoordinatorsVoteAlone_withQuorum() {
    cases(ConvergenceType.COORDINATOR)
        .check(
            c -> {
              assertThat(c.converged())
                  .isEqualTo(c.quorum() && c.coordinatorVote() == Vote.CONVERGED);
              // the members' votes do not matter: all of them flipped, same answer
              List<CollabReflection> flipped =
                  c.reflections().stream()
                      .map(
                          r ->
                              r.parseFailed()
                                  ? r
                                  : reflection(
                                      r.nodeId(),
                                      r.vote() == Vote.CONVERGED ? Vote.BLOCKED : Vote.CONVERGED,
                                      r.metricPassed()))
                      .toList();
              assertThat(new Case(flipped, c.coordinatorVote(), c.rule()).converged())
                  .isEqualTo(c.converged());
            });
  }

  // ---- metric
  // ------------------------------------------------------------------------------------

  @Test
  void metric_converges_iffEveryValidReflectionReportsThePassingMetric_withQuorum() {
    cases(ConvergenceType.METRIC)
        .check(
            c -> {
              boolean allPassed =
                  !c.valid().isEmpty()
                      && c.valid().stream().allMatch(r -> Boolean.TRUE.equals(r.metricPassed()));
              assertThat(c.converged()).isEqualTo(c.quorum() && allPassed);
            });
  }

  @Test
  void metric_ignoresTheVotes() {
    cases(ConvergenceType.METRIC)
        .check(
            c -> {
              List<CollabReflection> continuing =
                  c.reflections().stream()
                      .map(
                          r ->
                              r.parseFailed()
                                  ? r
                                  : reflection(r.nodeId(), Vote.CONTINUE, r.metricPassed()))
                      .toList();
              assertThat(new Case(continuing, null, c.rule()).converged()).isEqualTo(c.converged());
            });
  }
}
