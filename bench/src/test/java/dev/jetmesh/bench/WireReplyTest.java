package dev.jetmesh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyTest {
  private static Reply read(String json) throws IOException {
    return Reply.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void claimed_task_gives_its_id_and_token_whatever_surrounds_them() throws IOException {
    Reply r =
        read(
            """
            {"ok":true,"data":{"attempts":[{"task_id":"other","claim_token":1}],
             "task_id":"t-1","result":{"claim_token":2},"claim_token":42,"tags":["a"]}}""");

    assertThat(r).isEqualTo(new Reply(true, null, true, "t-1", 42));
  }

  @Test
  void empty_claim_has_no_data() throws IOException {
    assertThat(read("{\"ok\":true,\"data\":null}"))
        .isEqualTo(new Reply(true, null, false, null, 0));
  }

  @Test
  void error_reply_gives_its_text_and_is_not_ok() throws IOException {
    Reply r = read("{\"ok\":false,\"error\":\"task t-1 is not claimed by n-2\"}");

    assertThat(r.ok()).isFalse();
    assertThat(r.error()).isEqualTo("task t-1 is not claimed by n-2");
  }

  @Test
  void fields_of_other_shapes_are_skipped_not_misread() throws IOException {
    Reply r = read("{\"error\":{\"ok\":true},\"data\":[{\"task_id\":\"x\"}],\"ok\":true}");

    assertThat(r).isEqualTo(new Reply(true, null, false, null, 0));
  }

  @Test
  void a_body_that_is_not_an_object_is_not_ok() throws IOException {
    assertThat(read("[]").ok()).isFalse();
    assertThat(read("\"ok\"").ok()).isFalse();
  }
}
