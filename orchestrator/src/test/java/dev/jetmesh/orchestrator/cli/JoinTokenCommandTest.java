package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The NATS URL a join token carries (the token is readable by whoever holds it). */
class JoinTokenCommandTest {
  @Test
  void byDefault_theTokenCarriesMeshNatsUrl_withoutItsCredentials() {
    assertThat(JoinTokenCommand.tokenUrl(null, "nats://orchestrator:s3cret@10.0.0.5:4222"))
        .isEqualTo("nats://10.0.0.5:4222");
    assertThat(JoinTokenCommand.tokenUrl(null, "nats://t0ken@a:4222,nats://b:4222"))
        .isEqualTo("nats://a:4222,nats://b:4222");
  }

  @Test
  void anExplicitNats_isCarriedAsGiven() {
    assertThat(JoinTokenCommand.tokenUrl("nats://w1:pw@mesh:4222", "nats://o:s3cret@x:4222"))
        .isEqualTo("nats://w1:pw@mesh:4222");
  }
}
