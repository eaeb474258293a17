package org.opencallback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactTest {
  @Test
  void the_user_info_of_every_url_in_a_text_is_masked() {
    assertThat(Redact.urls("ORS http://ors:pw@10.0.0.1:8080/scxml failed; then https://u@h/x"))
        .isEqualTo("ORS http://***@10.0.0.1:8080/scxml failed; then https://***@h/x");
  }

  @Test
  void query_values_named_like_secrets_are_masked_and_others_kept() {
    assertThat(Redact.urls("http://h/p?token=abc&id=7&API_KEY=k1&sig=s;password=p#frag"))
        .isEqualTo("http://h/p?token=***&id=7&API_KEY=***&sig=***;password=***#frag");
  }

  @Test
  void text_without_credentials_is_unchanged() {
    String text = "webhook http://127.0.0.1:9/hook answered 500 to callback.due of callback 1-abc; mail a@b.c";
    assertThat(Redact.urls(text)).isEqualTo(text);
    assertThat(Redact.urls(null)).isNull();
  }
}
