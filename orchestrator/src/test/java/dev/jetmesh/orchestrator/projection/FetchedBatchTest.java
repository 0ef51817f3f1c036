package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.EventCodec;
import dev.jetmesh.schema.events.TaskEvent.TaskClaimed;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** event_log takes the payload as stored, except where jsonb would refuse what JSON allows. */
class FetchedBatchTest {
  private static final Instant AT = Instant.parse("2026-12-06T03:00:00.123Z");

  @Test
  void storedPayload_isThePayloadsJson_asTheStreamHoldsIt() throws Exception {
    byte[] data = withNote("C:\\users\\u0 and a \"quote\" and café");

    String stored = FetchedBatch.storedPayload(data, EventCodec.decodeWithSpan(data));

    assertThat(stored).isNotNull();
    assertThat(Json.mapper().readTree(stored))
        .isEqualTo(Json.mapper().readTree(data).get("payload"));
  }

  @Test
  void storedPayload_isNull_forAUnicodeEscape_whichJsonbMayRefuse() {
    for (String note : new String[] {"nul \u0000 here", "bell \u0007", "lone \ud800 surrogate"}) {
      byte[] data = withNote(note);
      assertThat(FetchedBatch.storedPayload(data, EventCodec.decodeWithSpan(data)))
          .as(note)
          .isNull();
    }
  }

  /**
   * A task.claimed envelope whose payload carries {@code note}, a field this version ignores,
   * written as the event store writes (UTF-8 bytes, which escape what UTF-8 cannot hold).
   */
  private static byte[] withNote(String note) {
    Envelope env =
        Envelope.wrap(new TaskClaimed("node-a", AT.plusSeconds(1800)), "t-1", "node-a", null, AT);
    ObjectNode tree = EventCodec.toTree(env);
    ((ObjectNode) tree.get("payload")).put("note", note);
    try {
      return Json.mapper().writeValueAsBytes(tree);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
