package dev.jetmesh.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ClaudeOutputTest {
  @Test
  void resultObject_givesText_totalCost_andUsage() {
    RunOutput o =
        ClaudeOutput.parse(
            "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"All"
                + " done\",\"total_cost_usd\":0.0421,\"usage\":{\"input_tokens\":12,"
                + "\"output_tokens\":34}}\n");
    assertThat(o.text()).isEqualTo("All done");
    assertThat(o.costUsd()).isEqualByComparingTo(new BigDecimal("0.0421"));
    assertThat(o.tokens().get("output_tokens").asInt()).isEqualTo(34);
  }

  @Test
  void olderCostField_isRead() {
    RunOutput o = ClaudeOutput.parse("{\"type\":\"result\",\"result\":\"x\",\"cost_usd\":1.5}");
    assertThat(o.costUsd()).isEqualByComparingTo("1.5");
    assertThat(o.tokens()).isNull();
  }

  @Test
  void conversationArray_usesItsLastResult() {
    RunOutput o =
        ClaudeOutput.parse(
            "[{\"type\":\"system\"},{\"type\":\"assistant\",\"message\":{}},"
                + "{\"type\":\"result\",\"result\":\"final\",\"total_cost_usd\":0.2}]");
    assertThat(o.text()).isEqualTo("final");
    assertThat(o.costUsd()).isEqualByComparingTo("0.2");
  }

  @Test
  void logLinesAroundTheJson_areSkipped() {
    RunOutput o =
        ClaudeOutput.parse(
            "warning: something\n{\"type\":\"result\",\"result\":\"ok\",\"total_cost_usd\":0.01}\n");
    assertThat(o.text()).isEqualTo("ok");
    assertThat(o.costUsd()).isEqualByComparingTo("0.01");
  }

  @Test
  void plainText_hasUnknownCost() {
    RunOutput o = ClaudeOutput.parse("I changed three files.\n");
    assertThat(o.text()).isEqualTo("I changed three files.\n");
    assertThat(o.costUsd()).isNull();
    assertThat(o.tokens()).isNull();
  }
}
