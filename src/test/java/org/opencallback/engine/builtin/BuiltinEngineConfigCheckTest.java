package org.opencallback.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opencallback.config.ConfigException;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.Configuration;

/** The engine section's load-time checks and how dial outcomes are matched. */
class BuiltinEngineConfigCheckTest {
  private static Configuration load(String engineLines) throws ConfigException {
    String yaml = "engine:\n" + engineLines;
    return Configuration.from(ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "t.yaml", "t"), "t");
  }

  @Test
  void a_bad_regex_or_outcome_or_patience_is_refused_naming_the_option() {
    BuiltinEngineConfigCheck check = new BuiltinEngineConfigCheck();
    assertThatThrownBy(() -> check.validate(load("  dial_outcomes: {'[0-9': busy}\n")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("dial_outcomes").hasMessageContaining("[0-9");
    assertThatThrownBy(() -> check.validate(load("  dial_outcomes: {'^\\+1': hangup}\n")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("hangup");
    assertThatThrownBy(() -> check.validate(load("  dial_outcomes: busy\n")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("mapping");
    assertThatThrownBy(() -> check.validate(load("  customer_patience: soon\n")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("customer_patience");
  }

  @Test
  void the_first_matching_rule_wins_and_answer_is_the_default() throws ConfigException {
    Configuration configuration = load("  dial_outcomes: {'^\\+1555': busy, '555': fax, '9$': no_answer}\n");
    new BuiltinEngineConfigCheck().validate(configuration);
    DialOutcomes outcomes = EngineSettings.of(configuration).outcomes();
    assertThat(outcomes.outcomeFor("+15551234")).isEqualTo(DialOutcome.BUSY);
    assertThat(outcomes.outcomeFor("+4455512")).isEqualTo(DialOutcome.FAX);
    assertThat(outcomes.outcomeFor("+441239")).isEqualTo(DialOutcome.NO_ANSWER);
    assertThat(outcomes.outcomeFor("+33123")).isEqualTo(DialOutcome.ANSWER);
  }
}
