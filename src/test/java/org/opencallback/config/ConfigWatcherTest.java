package org.opencallback.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {

  @Test
  void valid_change_is_applied_and_invalid_change_is_refused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("opencallback.yaml");
    Files.writeString(file, "service.A:\n  _ttl: 100\n");
    ConfigHolder holder = new ConfigHolder(Configuration.from(ConfigLoader.read(file), file.toString()));

    try (ConfigWatcher watcher = new ConfigWatcher(file, holder, Duration.ofMillis(20))) {
      Files.writeString(file, "service.A:\n  _ttl: 200\nservice.B:\n  _type: ors\n");
      await().atMost(Duration.ofSeconds(5))
          .until(() -> holder.get().service("B").isPresent());
      assertThat(holder.get().service("A").orElseThrow().ttlSeconds()).isEqualTo(200);

      Configuration before = holder.get();
      Files.writeString(file, "service.A:\n  _ttl: never\n");
      watcher.check();
      watcher.check();
      assertThat(holder.get()).isSameAs(before);

      Files.writeString(file, "service.A:\n  _ttl: [unclosed\n");
      watcher.check();
      watcher.check();
      assertThat(holder.get()).isSameAs(before);

      Files.writeString(file, "service.C:\n  _type: ors\n");
      await().atMost(Duration.ofSeconds(5)).until(() -> holder.get().service("C").isPresent());
      assertThat(holder.get().service("A")).isEmpty();
    }
  }
}
