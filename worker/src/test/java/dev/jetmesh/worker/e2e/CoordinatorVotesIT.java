package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coordinator} convergence with three real worker processes running the shell provider: the
 * coordinator (the first member, chosen by the orchestrator) casts its verdict after each of its
 * reflections, and the session decides on that vote as soon as the round has it. Nothing else can
 * decide in time: the round timeout is 10 minutes and the orchestrator's periodic sweep runs every
 * 10 minutes, so only the reaction to the projected vote ends the session within the minute.
 */
class CoordinatorVotesIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final int TEN_MINUTES = 600;

  /**
   * Each pass counts itself in {@code $HOME/rounds} (one sandbox per node), writes a file, and
   * votes the pass-th word of {@code $VOTES} (the last word once they run out).
   */
  private static final String SCRIPT =
      """
      n=$(( $(cat "$HOME/rounds" 2>/dev/null || echo 0) + 1 ))
      echo "$n" > "$HOME/rounds"
      echo "pass $n by $MESH_NODE_ID" > "$MESH_NODE_ID.txt"
      set -- $VOTES
      if [ "$n" -lt "$#" ]; then shift $(( n - 1 )); else shift $(( $# - 1 )); fi
      printf '```json\\n{"reflection":{"summary":"pass %s by %s","learnings":"","confidence":0.9,"vote":"%s"}}\\n```\\n' \\
        "$n" "$MESH_NODE_ID" "$1"
      """;

  private static E2eMesh mesh;

  @TempDir Path tmp;
  private CollabNodes nodes;

  @BeforeAll
  static void startMesh() {
    mesh =
        E2eMesh.start(
            Map.of(
                "MESH_SWEEP_SECONDS", String.valueOf(TEN_MINUTES),
                "MESH_COLLAB_ROUND_TIMEOUT_SECONDS", String.valueOf(TEN_MINUTES)));
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @AfterEach
  void stopWorkers() {
    nodes.close();
    mesh.cancelUnfinished();
  }

  @Test
  void threeShellNodes_convergeOnTheCoordinatorsVote_inSeconds_andTheReplayShowsEveryVote()
      throws Exception {
    nodes = new CollabNodes(mesh, tmp);
    // Round 1: the members would pass under majority (2 of 3 converged), the coordinator says
    // continue. Round 2: unanimity fails (cv-c blocked), the coordinator says converged.
    nodes.start("cv-a", Map.of("VOTES", "continue converged"));
    Instant submitted = Instant.now();
    mesh.submit(
        "coord-votes",
        Map.of(
            "title",
            "The coordinator decides",
            "description",
            SCRIPT,
            "llm_provider",
            "shell",
            "collaboration",
            Map.of(
                "min_nodes", 3,
                "max_nodes", 3,
                "max_rounds", 5,
                "join_window_s", 120,
                "round_timeout_s", TEN_MINUTES,
                "convergence", Map.of("type", "coordinator"))));
    // cv-a claims the task and joins first, so the orchestrator makes it the coordinator.
    await().atMost(LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> !members().isEmpty());
    assertThat(members()).containsExactly("cv-a");
    nodes.start("cv-b", Map.of("VOTES", "converged"));
    nodes.start("cv-c", Map.of("VOTES", "converged blocked"));

    nodes.awaitTask("coord-votes", "completed", LIMIT);
    Duration took = Duration.between(submitted, Instant.now());
    String sid = nodes.sessionOf("coord-votes");

    JsonNode result = mesh.get("coord-votes").path("result");
    assertThat(result.path("summary").asText()).isEqualTo("Converged after 2 rounds with 3 nodes");
    assertThat(nodes.events(sid, "collab.round_started"))
        .extracting(e -> e.path("round_timeout_ms").asLong())
        .containsExactly(TEN_MINUTES * 1000L, TEN_MINUTES * 1000L);
    assertThat(nodes.events(sid, "collab.coordinator_voted"))
        .extracting(
            v ->
                v.path("round_number").asInt()
                    + ":"
                    + v.path("node_id").asText()
                    + ":"
                    + v.path("vote").asText()
                    + ":"
                    + v.path("reason").asText())
        .containsExactly(
            "1:cv-a:continue:continue: pass 1 by cv-a",
            "2:cv-a:converged:converged: pass 2 by cv-a");
    List<JsonNode> evals = nodes.events(sid, "collab.round_evaluated");
    assertThat(evals)
        .extracting(e -> e.path("outcome").asText() + "/timed_out=" + e.path("timed_out"))
        .containsExactly("next_round/timed_out=false", "converged/timed_out=false");
    assertThat(evals)
        .extracting(e -> e.path("tally").path("converged_votes").asInt())
        .as("the members' own votes are counted, and decide nothing")
        .containsExactly(2, 2);
    assertThat(
            mesh.rows(
                "SELECT round_number, voter, vote FROM collab_votes WHERE session_id = ?"
                    + " AND kind = 'coordinator' ORDER BY round_number",
                sid))
        .extracting(r -> r.get("round_number") + ":" + r.get("voter") + ":" + r.get("vote"))
        .containsExactly("1:cv-a:continue", "2:cv-a:converged");
    assertDecidedOnTheVote(sid);

    String replay = nodes.assertReplayReproduces(sid);
    assertThat(votesLine(replay, 1))
        .contains("cv-a continue", "cv-b converged", "cv-c converged")
        .endsWith("| coordinator cv-a: continue (continue: pass 1 by cv-a) -> next_round");
    assertThat(votesLine(replay, 2))
        .contains("cv-a converged", "cv-b converged", "cv-c blocked")
        .endsWith("| coordinator cv-a: converged (converged: pass 2 by cv-a) -> converged");
    assertThat(documentedVotes())
        .as("the votes example of docs/collab.md (members in any order)")
        .containsExactly(
            inAnyMemberOrder(votesLine(replay, 1)), inAnyMemberOrder(votesLine(replay, 2)));
    // The HTTP route renders records with the one snake_case mapper, as the wire does.
    JsonNode http = Json.mapper().readTree(get("/api/collab/" + sid + "/replay"));
    assertThat(http.path("mismatches").asInt()).isZero();
    assertThat(http.path("votes").get(1).path("coordinator").asText()).isEqualTo("cv-a");
    assertThat(http.path("votes").get(1).path("coordinator_vote").asText()).isEqualTo("converged");
    assertThat(http.path("votes").get(1).path("members").path("cv-c").asText())
        .isEqualTo("blocked");

    Duration rounds =
        Duration.between(at(sid, "collab.round_started"), at(sid, "collab.converged"));
    System.out.printf(
        "coordinator session %s converged in %.1f s (submit to task completed; limit %d s,"
            + " round timeout %d s); round 1 start to converged %.1f s%n",
        sid, took.toMillis() / 1000.0, LIMIT.toSeconds(), TEN_MINUTES, rounds.toMillis() / 1000.0);
    assertThat(took).isLessThan(LIMIT);
  }

  private List<String> members() {
    String sid = nodes.sessionOf("coord-votes");
    if (sid.isEmpty()) {
      return List.of();
    }
    return mesh
        .rows("SELECT node_id FROM collab_members WHERE session_id = ? ORDER BY joined_at", sid)
        .stream()
        .map(r -> (String) r.get("node_id"))
        .toList();
  }

  /**
   * Each round was evaluated within seconds of the later of its last reflection and the
   * coordinator's vote: the reaction to the projected events, not a timer.
   */
  private void assertDecidedOnTheVote(String sid) {
    for (int round = 1; round <= 2; round++) {
      Instant inputs =
          (Instant)
              mesh.rows(
                      "SELECT max(occurred_at) AS at FROM event_log WHERE aggregate_id = ?"
                          + " AND type IN ('collab.reflection_submitted',"
                          + " 'collab.coordinator_voted')"
                          + " AND (payload->>'round_number')::int = ?",
                      sid,
                      round)
                  .get(0)
                  .get("at");
      Instant evaluated =
          (Instant)
              mesh.rows(
                      "SELECT occurred_at FROM event_log WHERE aggregate_id = ?"
                          + " AND type = 'collab.round_evaluated'"
                          + " AND (payload->>'round_number')::int = ?",
                      sid,
                      round)
                  .get(0)
                  .get("occurred_at");
      assertThat(Duration.between(inputs, evaluated))
          .as("round %d evaluated after its last vote", round)
          .isLessThan(Duration.ofSeconds(10));
    }
  }

  /** When the session's first event of {@code type} happened. */
  private static Instant at(String sid, String type) {
    return (Instant)
        mesh.rows(
                "SELECT min(occurred_at) AS at FROM event_log WHERE aggregate_id = ? AND type = ?",
                sid,
                type)
            .get(0)
            .get("at");
  }

  /** The round lines of the {@code coordinator-votes} example in docs/collab.md. */
  private static List<String> documentedVotes() throws Exception {
    String doc = Files.readString(Path.of("../docs/collab.md"));
    Matcher m =
        Pattern.compile(
                "<!-- example: coordinator-votes -->\n```text\nvotes:\n(.*?)```", Pattern.DOTALL)
            .matcher(doc);
    assertThat(m.find()).as("coordinator-votes example in docs/collab.md").isTrue();
    return m.group(1).lines().map(CoordinatorVotesIT::inAnyMemberOrder).toList();
  }

  /** A votes line with its members sorted: they are listed in the order they reflected. */
  private static String inAnyMemberOrder(String line) {
    Matcher m = Pattern.compile("^(\\s*round \\d+: )(.*?)( \\| .*| -> .*)$").matcher(line);
    if (!m.matches()) {
      return line;
    }
    List<String> members = new ArrayList<>(List.of(m.group(2).split(", ")));
    Collections.sort(members);
    return m.group(1) + String.join(", ", members) + m.group(3);
  }

  private static String votesLine(String replay, int round) {
    return replay
        .lines()
        .filter(l -> l.startsWith("  round " + round + ": "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no votes line for round " + round + ":\n" + replay));
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mesh.httpPort() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
