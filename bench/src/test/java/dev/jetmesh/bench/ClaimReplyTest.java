package dev.jetmesh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.bench.ClaimReply.Kind;
import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClaimReplyTest {
  private static Message reply(String body) {
    return NatsMessage.builder()
        .subject("_INBOX.x")
        .data(body.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void a_claimed_task_is_a_task() {
    ClaimReply c =
        ClaimReply.of(reply("{\"ok\":true,\"data\":{\"task_id\":\"t\",\"claim_token\":9}}"));

    assertThat(c).isEqualTo(new ClaimReply(Kind.TASK, null, "t", 9));
  }

  @Test
  void nothing_to_claim_is_empty() {
    assertThat(ClaimReply.of(reply("{\"ok\":true,\"data\":null}")).kind()).isEqualTo(Kind.EMPTY);
  }

  @Test
  void no_reply_an_error_reply_and_an_unreadable_one_are_refused_with_their_reason() {
    assertThat(ClaimReply.of(null).error()).startsWith("no reply within");
    assertThat(ClaimReply.of(reply("{\"ok\":false,\"error\":\"invalid node_id\"}")))
        .isEqualTo(new ClaimReply(Kind.REFUSED, "error reply: invalid node_id", null, 0));
    ClaimReply broken = ClaimReply.of(reply("{\"ok\":tr"));
    assertThat(broken.kind()).isEqualTo(Kind.REFUSED);
    assertThat(broken.error()).startsWith("unreadable reply");
  }

  @Test
  void an_ok_reply_without_a_usable_task_is_unusable() {
    ClaimReply noToken = ClaimReply.of(reply("{\"ok\":true,\"data\":{\"task_id\":\"t\"}}"));
    ClaimReply array = ClaimReply.of(reply("{\"ok\":true,\"data\":[]}"));

    assertThat(noToken.kind()).isEqualTo(Kind.UNUSABLE);
    assertThat(noToken.error()).contains("without task_id or claim_token");
    assertThat(array.kind()).isEqualTo(Kind.UNUSABLE);
    assertThat(array.error()).contains("data that is not a task");
  }
}
