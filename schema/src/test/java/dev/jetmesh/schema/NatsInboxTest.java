package dev.jetmesh.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NatsInboxTest {
  @Test
  void aUserAndPasswordUrl_givesTheUsersOwnInbox() {
    assertThat(NatsInbox.prefix("nats://node-w1:s3cret@127.0.0.1:4222", null))
        .isEqualTo("_INBOX.node-w1");
    assertThat(NatsInbox.prefix("nats://127.0.0.1:4222,nats://client:pw@10.0.0.2:4222", null))
        .isEqualTo("_INBOX.client");
  }

  @Test
  void noUser_aBareToken_orAUserThatCannotBeASubjectToken_keepTheDefault() {
    assertThat(NatsInbox.prefix("nats://127.0.0.1:4222", null)).isEqualTo("_INBOX");
    assertThat(NatsInbox.prefix("nats://s3cret-token@127.0.0.1:4222", null))
        .as("a bare token is a secret, never a subject")
        .isEqualTo("_INBOX");
    assertThat(NatsInbox.prefix("nats://a%2Eb:pw@127.0.0.1:4222", null)).isEqualTo("_INBOX");
    assertThat(NatsInbox.prefix("not a url", null)).isEqualTo("_INBOX");
  }

  @Test
  void theSetting_overridesTheUser_andMustBeSubjectTokens() {
    assertThat(NatsInbox.prefix("nats://node-w1:pw@h:4222", "_INBOX.custom"))
        .isEqualTo("_INBOX.custom");
    assertThat(NatsInbox.prefix("nats://h:4222", "  ")).isEqualTo("_INBOX");
    for (String bad : new String[] {"_INBOX.>", "_INBOX.*", "a..b", "a b", ".a"}) {
      assertThatThrownBy(() -> NatsInbox.prefix("nats://h:4222", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(NatsInbox.SETTING);
    }
  }

  @Test
  void redact_hidesPasswordsAndTokens_keepsUsersAndHosts() {
    assertThat(NatsInbox.redact("nats://node-w1:s3cret@127.0.0.1:4222"))
        .isEqualTo("nats://node-w1:***@127.0.0.1:4222");
    assertThat(NatsInbox.redact("nats://tok3n@h:4222,tls://u:p@h2:4222,nats://h3:4222"))
        .isEqualTo("nats://***@h:4222,tls://u:***@h2:4222,nats://h3:4222");
    assertThat(NatsInbox.redact("nats://127.0.0.1:4222")).isEqualTo("nats://127.0.0.1:4222");
    // a password with an unencoded @ is hidden whole, up to the last @ before the host
    assertThat(NatsInbox.redact("nats://u:p@ss@word@h:4222,nats://v:q@h2:4222"))
        .isEqualTo("nats://u:***@h:4222,nats://v:***@h2:4222");
    assertThat(NatsInbox.withoutCredentials("nats://u:p@ss@h:4222")).isEqualTo("nats://h:4222");
  }

  @Test
  void withoutCredentials_dropsUsersPasswordsAndTokens_keepsHosts() {
    assertThat(NatsInbox.withoutCredentials("nats://node-w1:s3cret@127.0.0.1:4222"))
        .isEqualTo("nats://127.0.0.1:4222");
    assertThat(NatsInbox.withoutCredentials("nats://tok3n@h:4222,tls://u:p@h2:4222,nats://h3:4222"))
        .isEqualTo("nats://h:4222,tls://h2:4222,nats://h3:4222");
    assertThat(NatsInbox.withoutCredentials("nats://127.0.0.1:4222"))
        .isEqualTo("nats://127.0.0.1:4222");
  }
}
