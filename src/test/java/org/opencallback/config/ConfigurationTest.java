package org.opencallback.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

  private static Configuration yaml(String text) throws ConfigException {
    return Configuration.from(
        ConfigLoader.parse(text.getBytes(StandardCharsets.UTF_8), "test.yaml", "test.yaml"), "test.yaml");
  }

  private static Configuration ini(String text) throws ConfigException {
    return Configuration.from(
        ConfigLoader.parse(text.getBytes(StandardCharsets.UTF_8), "test.ini", "test.ini"), "test.ini");
  }

  @Test
  void minimal_file_gives_one_service_with_gms_defaults() throws Exception {
    Configuration config = yaml("service.BasicCallback:\n  _type: ors\nengine:\n  agents: 2\n");

    ServiceConfig service = config.service("BasicCallback").orElseThrow();
    assertThat(service.ttlSeconds()).isEqualTo(86400);
    assertThat(service.executionBufferSeconds()).isEqualTo(120);
    assertThat(service.lookupKeys()).containsExactly("_customer_number");
    assertThat(service.mandatoryLookupKeys()).containsExactly("_customer_number");
    assertThat(config.engine().integer("agents", -1)).isEqualTo(2);
  }

  @Test
  void section_without_type_is_a_callback_service_and_builtins_are_sorted_out() throws Exception {
    Configuration config = yaml(String.join("\n",
        "service.NoType:",
        "  _ttl: 60",
        "service.hours:",
        "  _type: builtin",
        "  _service: office-hours",
        "  _timezone: Europe/Paris",
        "service.cap:",
        "  _type: builtin",
        "  _service: capacity",
        "service.other:",
        "  _type: builtin",
        "  _service: request-access",
        ""));

    assertThat(config.services()).containsOnlyKeys("NoType");
    assertThat(config.officeHours()).containsOnlyKeys("hours");
    assertThat(config.capacity()).containsOnlyKeys("cap");
    assertThat(config.officeHours().get("hours").string("_timezone", null)).isEqualTo("Europe/Paris");
  }

  @Test
  void empty_value_means_not_set_so_the_default_applies() throws Exception {
    Configuration config = yaml("service.S:\n  _ttl: ''\n  _request_execution_time_buffer:\n");

    ServiceConfig service = config.service("S").orElseThrow();
    assertThat(service.ttlSeconds()).isEqualTo(86400);
    assertThat(service.executionBufferSeconds()).isEqualTo(120);
  }

  @Test
  void service_option_falls_back_to_the_callback_section() throws Exception {
    Configuration config = yaml(
        "callback:\n  _throttle_callbacks_per_service_1: 7\nservice.S:\n  _type: ors\nservice.T:\n"
            + "  _throttle_callbacks_per_service_1: 9\n");

    assertThat(config.service("S").orElseThrow().options().integer("_throttle_callbacks_per_service_1", 0))
        .isEqualTo(7);
    assertThat(config.service("T").orElseThrow().options().integer("_throttle_callbacks_per_service_1", 0))
        .isEqualTo(9);
  }

  @Test
  void list_values_may_be_yaml_lists_or_comma_strings() throws Exception {
    Configuration config = yaml(
        "service.S:\n  _customer_lookup_keys: [_customer_number, CB_ID]\nservice.T:\n"
            + "  _customer_lookup_keys: _customer_number, CB_ID\n");

    assertThat(config.service("S").orElseThrow().lookupKeys()).containsExactly("_customer_number", "CB_ID");
    assertThat(config.service("T").orElseThrow().lookupKeys()).containsExactly("_customer_number", "CB_ID");
  }

  @Test
  void invalid_known_option_is_refused_naming_section_option_and_value() {
    assertThatThrownBy(() -> yaml("service.S:\n  _ttl: soon\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("[service.S]")
        .hasMessageContaining("_ttl")
        .hasMessageContaining("soon");
  }

  @Test
  void invalid_enum_and_boolean_are_refused() {
    assertThatThrownBy(() -> yaml("service.S:\n  _request_time_bucket: 7\n"))
        .hasMessageContaining("_request_time_bucket");
    assertThatThrownBy(() -> yaml("service.S:\n  _disallow_premium_phone_numbers: maybe\n"))
        .hasMessageContaining("_disallow_premium_phone_numbers");
    assertThatThrownBy(() -> yaml("service.S:\n  _type: webservice\n")).hasMessageContaining("_type");
  }

  @Test
  void unknown_service_options_are_kept_for_the_engine() throws Exception {
    Configuration config = yaml("service.S:\n  my_custom_param: hello\n");

    assertThat(config.service("S").orElseThrow().options().own()).containsEntry("my_custom_param", "hello");
  }

  @Test
  void token_values_are_not_checked_at_load_time() throws Exception {
    Configuration config = yaml("service.S:\n  _ttl: $ttl$\n");

    assertThat(config.service("S").orElseThrow().options().own()).containsEntry("_ttl", "$ttl$");
  }

  @Test
  void malformed_yaml_names_the_line() {
    assertThatThrownBy(() -> yaml("service.S:\n  _ttl: [1,\n  x: y\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> yaml("- a\n- b\n")).hasMessageContaining("mapping");
    assertThatThrownBy(() -> yaml("service.S: 5\n")).hasMessageContaining("[service.S]");
  }

  @Test
  void ini_export_form_is_read() throws Exception {
    Configuration config = ini(String.join("\n",
        "; exported from Configuration Manager",
        "[callback]",
        "returned-keys = _desired_time,_callback_state",
        "[service.BasicCallback]",
        "_type = ors",
        "_ttl = 600",
        "_customer_lookup_keys = \"_customer_number,CB_ID\"",
        "_business_hours_service =",
        ""));

    ServiceConfig service = config.service("BasicCallback").orElseThrow();
    assertThat(service.ttlSeconds()).isEqualTo(600);
    assertThat(service.lookupKeys()).containsExactly("_customer_number", "CB_ID");
    assertThat(service.options().get("_business_hours_service")).isEmpty();
    assertThat(config.callback().list("returned-keys")).containsExactly("_desired_time", "_callback_state");
  }

  @Test
  void malformed_ini_is_refused_with_the_line() {
    assertThatThrownBy(() -> ini("_ttl = 5\n")).hasMessageContaining("line 1");
    assertThatThrownBy(() -> ini("[service.S\n")).hasMessageContaining("line 1");
    assertThatThrownBy(() -> ini("[service.S]\njust text\n")).hasMessageContaining("line 2");
  }

  @Test
  void transaction_list_sections_keep_their_nesting() throws Exception {
    Configuration config = yaml("GMS_Paused_Services:\n  services:\n    BasicCallback: true\n");

    assertThat(config.rawSection("GMS_Paused_Services").get("services"))
        .isEqualTo(Map.of("BasicCallback", true));
  }

  @Test
  void bundled_demo_configuration_is_valid() throws Exception {
    Configuration config = Configuration.from(ConfigLoader.bundledDemo(), "bundled demo");

    assertThat(config.services()).isNotEmpty();
  }
}
