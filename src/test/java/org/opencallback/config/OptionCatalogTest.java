package org.opencallback.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionCatalogTest {

  @Test
  void noOptionIsListedTwiceInOneScope() {
    Set<String> seen = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    for (OptionSpec spec : OptionCatalog.all()) {
      if (!seen.add(spec.scope() + "/" + spec.name())) {
        duplicates.add(spec.scope() + "/" + spec.name());
      }
    }
    assertThat(duplicates).isEmpty();
  }

  @Test
  void everyDefaultPassesItsOwnValidation() {
    List<String> bad = new ArrayList<>();
    for (OptionSpec spec : OptionCatalog.all()) {
      if (spec.defaultValue() != null && spec.problem(spec.defaultValue()) != null) {
        bad.add(spec.scope() + "/" + spec.name() + ": " + spec.problem(spec.defaultValue()));
      }
    }
    assertThat(bad).isEmpty();
  }

  @Test
  void enumsHaveAllowedValuesAndOthersDoNot() {
    for (OptionSpec spec : OptionCatalog.all()) {
      if (spec.type() == OptionType.ENUM) {
        assertThat(spec.allowed()).as(spec.name()).isNotEmpty();
      } else {
        assertThat(spec.allowed()).as(spec.name()).isEmpty();
      }
    }
  }

  @Test
  void everyEntryHasACategoryAndADescription() {
    for (OptionSpec spec : OptionCatalog.all()) {
      assertThat(spec.category()).as(spec.name()).isNotBlank();
      assertThat(spec.description()).as(spec.name()).isNotBlank();
      assertThat(spec.name()).as(spec.name()).isEqualTo(spec.name().trim());
    }
  }

  @Test
  void scopesPartitionTheCatalogue() {
    int total = 0;
    for (OptionScope scope : OptionScope.values()) {
      List<OptionSpec> ofScope = OptionCatalog.of(scope);
      assertThat(ofScope).as(scope.name()).isNotEmpty().allMatch(s -> s.scope() == scope);
      for (OptionSpec spec : ofScope) {
        assertThat(OptionCatalog.find(scope, spec.name())).contains(spec);
      }
      total += ofScope.size();
    }
    assertThat(total).isEqualTo(OptionCatalog.all().size());
  }

  @Test
  void unknownOptionsAreNotFound() {
    assertThat(OptionCatalog.find(OptionScope.SERVICE, "_no_such_option")).isEmpty();
    assertThat(OptionCatalog.find(OptionScope.ENGINE, "_ttl")).isEmpty();
    assertThat(OptionCatalog.find(OptionScope.OFFICE_HOURS, "_bh_regular1")).isEmpty();
  }

  @Test
  void documentedDefaults() {
    assertThat(defaultOf(OptionScope.SERVICE, "_ttl")).isEqualTo("86400");
    assertThat(defaultOf(OptionScope.SERVICE, "_request_execution_time_buffer")).isEqualTo("120");
    assertThat(defaultOf(OptionScope.SERVICE, "_max_request_by_time_bucket")).isEqualTo("100");
    assertThat(defaultOf(OptionScope.SERVICE, "_reject_future_desired_time")).isEqualTo("1M");
    assertThat(defaultOf(OptionScope.OFFICE_HOURS, "_ttl")).isEqualTo("30");
    assertThat(defaultOf(OptionScope.OFFICE_HOURS, "_timezone")).isEqualTo("UTC");
    assertThat(defaultOf(OptionScope.CAPACITY_LIMITS, "_max_capacity")).isEqualTo("1000");
    assertThat(defaultOf(OptionScope.ENGINE, "talk_time")).isEqualTo("2s");
    assertThat(defaultOf(OptionScope.SERVICE, "_webhook_timeout")).isEqualTo("10s");
    assertThat(defaultOf(OptionScope.SERVICE, "_execution")).isEqualTo("builtin");
  }

  @Test
  void requestTimeBucketAcceptsOnlyTheDocumentedSizes() {
    OptionSpec bucket = OptionCatalog.find(OptionScope.SERVICE, "_request_time_bucket").orElseThrow();
    assertThat(bucket.type()).isEqualTo(OptionType.ENUM);
    assertThat(bucket.allowed()).containsExactly("5", "10", "15", "20", "30", "60", "120");
    assertThat(bucket.defaultValue()).isEqualTo("5");
    assertThat(bucket.problem("7")).isNotNull();
    assertThat(bucket.problem("60")).isNull();
  }

  @Test
  void throttleDefaultsAreTheSameGloballyAndPerService() {
    for (OptionScope scope : List.of(OptionScope.CALLBACK, OptionScope.SERVICE)) {
      assertThat(defaultOf(scope, "_throttle_callbacks_per_service_1")).isEqualTo("500");
      assertThat(defaultOf(scope, "_throttle_ttl_1")).isEqualTo("300");
      assertThat(defaultOf(scope, "_throttle_callbacks_per_service_2")).isEqualTo("1000");
      assertThat(defaultOf(scope, "_throttle_ttl_2")).isEqualTo("3600");
      assertThat(defaultOf(scope, "_throttle_request_parameters_limit")).isEqualTo("6");
      assertThat(defaultOf(scope, "_throttle_request_parameters")).isEqualTo("_customer_number");
      // a negative throttle value means "the default", so it must be accepted
      assertThat(OptionCatalog.find(scope, "_throttle_ttl_1").orElseThrow().problem("-1")).isNull();
    }
  }

  @Test
  void inQueueCheckingIsBooleanGloballyAndAcceptsStrictPerService() {
    OptionSpec global = OptionCatalog.find(OptionScope.CALLBACK, "_enable_in_queue_checking").orElseThrow();
    OptionSpec service = OptionCatalog.find(OptionScope.SERVICE, "_enable_in_queue_checking").orElseThrow();
    assertThat(global.type()).isEqualTo(OptionType.BOOLEAN);
    assertThat(service.allowed()).containsExactlyInAnyOrder("true", "false", "strict");
    assertThat(service.problem("STRICT")).isNull();
    assertThat(global.problem("strict")).isNotNull();
  }

  @Test
  void templatePlaceholdersAreAcceptedAsText() {
    assertThat(OptionCatalog.find(OptionScope.SERVICE, "_target").orElseThrow().type())
        .isEqualTo(OptionType.STRING);
    assertThat(OptionCatalog.find(OptionScope.SERVICE, "_on_user_confirm_timeout").orElseThrow().type())
        .isEqualTo(OptionType.STRING);
  }

  @Test
  void theConfigurationReferenceNamesEveryOption() throws IOException {
    Path doc = Path.of("docs", "configuration.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    for (OptionSpec spec : OptionCatalog.all()) {
      if (!text.contains("`" + spec.name() + "`")) {
        missing.add(spec.scope() + "/" + spec.name());
      }
    }
    assertThat(missing).isEmpty();
  }

  private static String defaultOf(OptionScope scope, String name) {
    return OptionCatalog.find(scope, name).orElseThrow().defaultValue();
  }
}
