package dev.jetmesh.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.bench.WireReply.Data;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireReplyTest {
  private static WireReply read(String json) throws IOException {
    return WireReply.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void claimed_task_gives_its_id_and_token_whatever_surrounds_them() throws IOException {
    WireReply r =
        read(
            """
            {"ok":true,"data":{"attempts":[{"task_id":"other","claim_token":1}],
             "task_id":"t-1","result":{"claim_token":2},"claim_token":42,"tags":["a"]}}""");

    assertThat(r).isEqualTo(new WireReply(true, null, Data.OBJECT, "t-1", 42L));
  }

  @Test
  void empty_claim_has_no_data() throws IOException {
    assertThat(read("{\"ok\":true,\"data\":null}"))
        .isEqualTo(new WireReply(true, null, Data.NONE, null, null));
    assertThat(read("{\"ok\":true}").data()).isEqualTo(Data.NONE);
  }

  @Test
  void error_reply_gives_its_text_and_is_not_ok() throws IOException {
    WireReply r = read("{\"ok\":false,\"error\":\"task t-1 is not claimed by n-2\"}");

    assertThat(r.ok()).isFalse();
    assertThat(r.error()).isEqualTo("task t-1 is not claimed by n-2");
  }

  @Test
  void task_without_token_reads_without_token() throws IOException {
    WireReply r = read("{\"ok\":true,\"data\":{\"task_id\":\"t-1\",\"claim_token\":\"7\"}}");

    assertThat(r.taskId()).isEqualTo("t-1");
    assertThat(r.claimToken()).isNull();
  }

  @Test
  void data_of_another_shape_is_told_apart_and_error_of_another_shape_skipped() throws IOException {
    WireReply r = read("{\"error\":{\"ok\":true},\"data\":[{\"task_id\":\"x\"}],\"ok\":true}");

    assertThat(r).isEqualTo(new WireReply(true, null, Data.OTHER, null, null));
    assertThat(read("{\"ok\":true,\"data\":\"t-1\"}").data()).isEqualTo(Data.OTHER);
  }

  @Test
  void a_body_that_is_not_an_object_is_not_ok() throws IOException {
    assertThat(read("[]").ok()).isFalse();
    assertThat(read("\"ok\"").ok()).isFalse();
    assertThat(read("").ok()).isFalse();
  }

  @Test
  void broken_or_trailing_json_is_unreadable() {
    assertThatThrownBy(() -> read("{\"ok\":tru")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read("{\"ok\":true} {\"ok\":false}")).isInstanceOf(IOException.class);
  }
}
