package dev.jetmesh.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.Ids;
import org.junit.jupiter.api.Test;

class NodeIdsTest {
  @Test
  void hostname_isLowerCased_andOddCharactersBecomeDashes() {
    assertThat(NodeIds.normalise("Build-Box.Example.COM")).isEqualTo("build-box-example-com");
    assertThat(NodeIds.normalise("mac_mini (2)")).isEqualTo("mac-mini--2-");
  }

  @Test
  void thisMachine_givesAValidId() {
    assertThat(Ids.isValid(NodeIds.fromHostname())).isTrue();
  }
}
