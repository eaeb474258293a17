package org.opencallback.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each option's status is true to the code and shown in docs/configuration.md. */
class OptionStatusTest {
  /** Options read with a computed name: {@code "_throttle_ttl_" + which}. */
  private static final Pattern NUMBERED = Pattern.compile("(.*_)\\d+");
  private static String code;

  @BeforeAll
  static void readTheCode() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      code = files.filter(file -> file.toString().endsWith(".java"))
          .filter(file -> !file.getFileName().toString().equals("OptionCatalog.java"))
          .filter(file -> !file.getFileName().toString().equals("OptionStatuses.java"))
          .map(OptionStatusTest::read)
          .collect(Collectors.joining("\n"));
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean readByCode(String name) {
    if (code.contains("\"" + name + "\"")) {
      return true;
    }
    Matcher numbered = NUMBERED.matcher(name);
    return numbered.matches() && code.contains("\"" + numbered.group(1) + "\" +");
  }

  @Test
  void every_option_marked_acted_on_is_read_by_code_in_src_main() {
    List<String> unread = new ArrayList<>();
    for (OptionSpec spec : OptionCatalog.all()) {
      if (spec.status() == OptionStatus.ACTED_ON && !readByCode(spec.name())) {
        unread.add(spec.scope() + "/" + spec.name());
      }
    }
    assertThat(unread).as("marked acted on, but no code outside the catalogue names them").isEmpty();
  }

  @Test
  void an_ignored_option_is_read_by_no_code() {
    List<String> read = new ArrayList<>();
    for (OptionSpec spec : OptionCatalog.all()) {
      // _desired_time is a request field: its name is everywhere, the service option is not read
      if (spec.status() == OptionStatus.IGNORED && !spec.name().equals("_desired_time") && readByCode(spec.name())) {
        read.add(spec.scope() + "/" + spec.name());
      }
    }
    assertThat(read).as("marked ignored, but code names them").isEmpty();
  }

  @Test
  void every_option_not_acted_on_says_why_and_every_listed_status_names_a_catalogue_option() {
    for (OptionSpec spec : OptionCatalog.all()) {
      assertThat(spec.status()).isNotNull();
      if (spec.status() != OptionStatus.ACTED_ON) {
        assertThat(spec.statusReason()).as(spec.name()).isNotBlank();
      }
    }
    for (String key : OptionStatuses.listed()) {
      String[] parts = key.split("/", 2);
      assertThat(OptionCatalog.find(OptionScope.valueOf(parts[0]), parts[1])).as(key).isPresent();
    }
  }

  @Test
  void the_configuration_reference_shows_each_options_status() throws IOException {
    String doc = Files.readString(Path.of("docs", "configuration.md"), StandardCharsets.UTF_8);
    Map<String, String> labels = Map.of("acted on", "ACTED_ON", "passed to ORS", "ENGINE", "**ignored**", "IGNORED");
    Pattern row = Pattern.compile("(?m)^\\| `([^`]+)` \\| (acted on|passed to ORS|\\*\\*ignored\\*\\*) \\|");
    Matcher rows = row.matcher(doc);
    List<String> wrong = new ArrayList<>();
    int seen = 0;
    while (rows.find()) {
      seen++;
      String name = rows.group(1);
      String status = labels.get(rows.group(2));
      boolean matches = OptionCatalog.all().stream()
          .anyMatch(spec -> spec.name().equals(name) && spec.status().name().equals(status));
      if (!matches) {
        wrong.add(name + " documented as " + rows.group(2));
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(seen).as("rows with a status").isGreaterThanOrEqualTo(OptionCatalog.all().size() - 10);
    assertThat(doc).doesNotContain("The README\ntracks").contains("## Option status");
    for (OptionSpec spec : OptionCatalog.all()) {
      if (spec.status() == OptionStatus.IGNORED) {
        assertThat(doc).as(spec.name()).contains(spec.statusReason());
      }
    }
  }

  @Test
  void the_warning_names_every_ignored_option_a_configuration_sets_and_only_those() throws Exception {
    Configuration configuration = Configuration.from(ConfigLoader.parse(String.join("\n",
        "callback:",
        "  _enable_gms_dfm: true",
        "  queue-polling-rate: 5",
        "service.Sales:",
        "  _type: ors",
        "  _ttl: 3600",
        "  _queue_poll_period: '-120,120'",
        "  _provider_name: ''",
        "  _call_direction: USERTERMINATED",
        "").getBytes(StandardCharsets.UTF_8), "t.yaml", "t.yaml"), "t.yaml");

    String message = IgnoredOptions.message(configuration);

    assertThat(message).contains("3 option(s)").contains("[callback] _enable_gms_dfm, queue-polling-rate")
        .contains("[service.Sales] _queue_poll_period")
        .doesNotContain("_provider_name") // empty: not set
        .doesNotContain("_ttl").doesNotContain("_call_direction");
    assertThat(IgnoredOptions.message(Configuration.from(Map.of(), "empty"))).isNull();
  }
}
