package org.opencallback.callback.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.Configuration;

/** The compiled exception patterns are a cache with a bound (docs/reliability.md, "Bounded by construction"). */
class ExceptionPatternsBoundTest {
  @Test
  void patterns_of_many_reloads_never_keep_more_than_the_bound() throws Exception {
    ExceptionPatterns patterns = new ExceptionPatterns();
    // each "reload" brings patterns never seen before, as an operator editing them for months would
    for (int reload = 0; reload < 3; reload++) {
      StringBuilder yaml = new StringBuilder("service.S:\n  _type: ors\n  _exceptions: blocked\nblocked:\n");
      for (int i = 0; i < 600; i++) {
        yaml.append("  L").append(i).append(": 'x").append(reload).append('_').append(i).append("y'\n");
      }
      Configuration configuration = Configuration.from(
          ConfigLoader.parse(yaml.toString().getBytes(StandardCharsets.UTF_8), "test.yaml", "test.yaml"), "test.yaml");
      patterns.check(configuration, configuration.service("S").orElseThrow(), Map.of("_customer_number", "+1617555"));
    }

    assertThat(patterns.kept()).isLessThanOrEqualTo(ExceptionPatterns.MAX_PATTERNS).isPositive();
  }
}
