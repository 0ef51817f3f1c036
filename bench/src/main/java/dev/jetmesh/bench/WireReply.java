package dev.jetmesh.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jetmesh.schema.Json;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * What the load client needs of a {@code {ok, data | error}} reply: whether it is ok, its error
 * text, and, when {@code data} is an object, the task's {@code task_id} and {@code claim_token}.
 * Read in one streaming pass that builds no tree: the client shares the orchestrator's two cores,
 * and reading every reply (a whole task document) into a tree, twice for a claim, was half of its
 * claimer threads' CPU in a profile of the end-to-end drain.
 *
 * @param data whether {@code data} is a JSON object (a claim that found nothing has {@code null})
 */
record Reply(
    boolean ok, @Nullable String error, boolean data, @Nullable String taskId, long claimToken) {

  /** Reads a reply; a body that is not a JSON object reads as a reply that is not ok. */
  static Reply read(byte[] body) throws IOException {
    try (JsonParser p = Json.mapper().createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new Reply(false, null, false, null, 0);
      }
      boolean ok = false;
      String error = null;
      boolean data = false;
      String taskId = null;
      long claimToken = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("data") && t == JsonToken.START_OBJECT) {
          data = true;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("task_id") && v == JsonToken.VALUE_STRING) {
              taskId = p.getText();
            } else if (name.equals("claim_token") && v == JsonToken.VALUE_NUMBER_INT) {
              claimToken = p.getLongValue();
            }
            p.skipChildren(); // nothing on a scalar
          }
          continue;
        }
        if (field.equals("ok")) {
          ok = t == JsonToken.VALUE_TRUE;
        } else if (field.equals("error") && t == JsonToken.VALUE_STRING) {
          error = p.getText();
        }
        p.skipChildren();
      }
      return new Reply(ok, error, data, taskId, claimToken);
    }
  }
}
