package org.opencallback.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The users section: both forms, roles, agent ids, and refusals that name section, user and option. */
class AccountsTest {
  private static final String HASH = "$2a$04$abcdefghijklmnopqrstuu5d9tGbDZOe0IezzVGc7mBQ4nsGs9V0u";

  private static Configuration load(String yaml) throws ConfigException {
    return Configuration.from(ConfigLoader.parse(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), "t.yaml", "t.yaml"), "t.yaml");
  }

  @Test
  void the_old_form_is_an_admin_and_the_new_form_has_roles_and_agent_ids() throws ConfigException {
    Map<String, Account> accounts = load(String.join("\n", "users:",
        "  root: '" + HASH + "'",
        "  sue: {password: '" + HASH + "', role: supervisor}",
        "  bob: {password: '" + HASH + "', role: agent}",
        "  carol: {password: '" + HASH + "', role: AGENT, agent: desk-7}", "")).accounts();

    assertThat(accounts.get("root").role()).isEqualTo(Account.Role.ADMIN);
    assertThat(accounts.get("sue").role()).isEqualTo(Account.Role.SUPERVISOR);
    assertThat(accounts.get("sue").agentId()).isNull();
    assertThat(accounts.get("bob").agentId()).isEqualTo("bob");
    assertThat(accounts.get("carol").agentId()).isEqualTo("desk-7");
    assertThat(accounts.values()).noneMatch(Account::loopbackOnly);
    assertThat(accounts.get("carol").toString()).doesNotContain(HASH);
  }

  @Test
  void impossible_users_are_refused_at_load_naming_user_and_option_but_never_the_hash() {
    assertThatThrownBy(() -> load("users:\n  sue: {password: '" + HASH + "', role: boss}\n"))
        .hasMessageContaining("section [users] user sue option role").hasMessageContaining("boss");
    assertThatThrownBy(() -> load("users:\n  sue: {role: supervisor}\n"))
        .hasMessageContaining("user sue option password is missing");
    assertThatThrownBy(() -> load("users:\n  sue: 'plain-password'\n"))
        .hasMessageContaining("user sue option password is not a bcrypt hash").hasMessageNotContaining("plain-password");
    assertThatThrownBy(() -> load("users:\n  sue: {password: '" + HASH + "', role: supervisor, agent: x}\n"))
        .hasMessageContaining("option agent applies to role agent only");
    assertThatThrownBy(() -> load("users:\n  sue: {password: '" + HASH + "', colour: red}\n"))
        .hasMessageContaining("option colour is not an option of a user");
    assertThatThrownBy(() -> load("users:\n  'a b': {password: '" + HASH + "', role: agent}\n"))
        .hasMessageContaining("option agent").hasMessageContaining("set agent:");
  }

  @Test
  void only_the_bundled_demo_without_users_has_the_loopback_demo_account() throws ConfigException {
    Configuration demo = Configuration.from(ConfigLoader.bundledDemo(), ConfigLoader.BUNDLED_DEMO_ORIGIN);
    assertThat(demo.accounts()).containsOnlyKeys("demo");
    assertThat(demo.accounts().get("demo").loopbackOnly()).isTrue();
    assertThat(demo.accounts().get("demo").role()).isEqualTo(Account.Role.ADMIN);

    Configuration copy = Configuration.from(ConfigLoader.bundledDemo(), "/etc/opencallback/opencallback.yaml");
    assertThat(copy.accounts()).isEmpty();
  }
}
