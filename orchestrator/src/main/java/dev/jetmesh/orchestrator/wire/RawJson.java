package dev.jetmesh.orchestrator.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * A value already written as JSON, embedded as it is where a reply or a notification holds it: a
 * task's document is written once per state and shared by the reply, the notification and the read
 * model, instead of being encoded by each (together 17.5 % of the orchestrator's samples in the
 * end-to-end profile). The text must be one complete JSON value; whoever makes one writes it with
 * {@link dev.jetmesh.schema.Json#mapper()}.
 */
@JsonSerialize(using = RawJson.Writer.class)
public record RawJson(String json) {
  static final class Writer extends StdSerializer<RawJson> {
    Writer() {
      super(RawJson.class);
    }

    @Override
    public void serialize(RawJson value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeRawValue(value.json());
    }
  }
}
