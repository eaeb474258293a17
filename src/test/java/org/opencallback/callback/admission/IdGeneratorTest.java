package org.opencallback.callback.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {
  @Test
  void idsAreGmsShapedUniqueAndSortInTheOrderTheyWereMade() {
    IdGenerator ids = new IdGenerator(3);
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      made.add(ids.next());
    }
    assertThat(new HashSet<>(made)).hasSize(made.size());
    assertThat(made).isSorted();
    assertThat(made).allSatisfy(id -> {
      assertThat(id).matches("3-[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      assertThat(UUID.fromString(id.substring(2)).version()).isEqualTo(7);
    });
  }

  @Test
  void theLeadingBitsAreTheCreationTime() {
    long before = System.currentTimeMillis();
    String id = new IdGenerator(1).next();
    long after = System.currentTimeMillis();
    long millis = UUID.fromString(id.substring(2)).getMostSignificantBits() >>> 16;
    assertThat(millis).isBetween(before, after);
  }
}
