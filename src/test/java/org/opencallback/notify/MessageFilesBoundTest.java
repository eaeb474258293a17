package org.opencallback.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The message files read are a cache with a bound (docs/reliability.md, "Bounded by construction"). */
class MessageFilesBoundTest {
  @Test
  void more_locations_than_the_bound_keep_at_most_the_bound(@TempDir Path dir) throws Exception {
    MessageFiles files = new MessageFiles(new ObjectMapper());
    for (int i = 0; i < MessageFiles.MAX_FILES + 100; i++) {
      Path file = dir.resolve("messages-" + i + ".json");
      Files.writeString(file, "{\"REMINDER\":\"file " + i + "\"}");
      assertThat(files.load(file.toString())).containsEntry("REMINDER", "file " + i);
    }

    assertThat(files.kept()).isLessThanOrEqualTo(MessageFiles.MAX_FILES).isPositive();
  }

  @Test
  void a_file_read_is_kept_for_a_while_and_not_read_again_meanwhile(@TempDir Path dir) throws Exception {
    MessageFiles files = new MessageFiles(new ObjectMapper());
    Path file = dir.resolve("messages.json");
    Files.writeString(file, "{\"REMINDER\":\"first\"}");
    assertThat(files.load(file.toString())).containsEntry("REMINDER", "first");
    Files.writeString(file, "{\"REMINDER\":\"second\"}");

    assertThat(files.load(file.toString())).containsEntry("REMINDER", "first");
  }
}
