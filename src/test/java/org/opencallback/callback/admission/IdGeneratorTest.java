package org.opencallback.callback.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Ids are the only guard of a callback: every id made in one burst must carry fresh randomness,
 * with no predictable relation to its neighbours (issue 15: a burst of 400 had 161 ids one apart).
 */
class IdGeneratorTest {
  @Test
  void ids_are_gms_shaped_version_4_uuids_behind_the_node_number() {
    IdGenerator ids = new IdGenerator(3);
    for (int i = 0; i < 1_000; i++) {
      String id = ids.next();
      assertThat(id).matches("3-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      UUID uuid = UUID.fromString(id.substring(2));
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
    }
  }

  /** A burst (same millisecond for most ids) shares no predictable relation: distinct, far apart, balanced bits. */
  @Property(tries = 20)
  void a_burst_of_ids_has_no_predictable_relation(@ForAll @IntRange(min = 1, max = 999) int node) {
    IdGenerator ids = new IdGenerator(node);
    int burst = 2_000;
    List<BigInteger> randoms = new ArrayList<>();
    for (int i = 0; i < burst; i++) {
      randoms.add(randomPart(ids.next(), node));
    }
    assertThat(new HashSet<>(randoms)).hasSize(burst);

    // no two random parts a small delta apart (an incrementing generator gives deltas of 1):
    // with 122 random bits, a gap under 2^64 among 2,000 ids has odds below 2^-37
    List<BigInteger> sorted = new ArrayList<>(randoms);
    sorted.sort(null);
    BigInteger smallDelta = BigInteger.ONE.shiftLeft(64);
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(sorted.get(i).subtract(sorted.get(i - 1))).isGreaterThan(smallDelta);
    }

    // every one of the 122 random bits is set in about half the ids (6 standard deviations:
    // sd = sqrt(2000)/2 ≈ 22.4); a time prefix or a counter leaves bits that hardly move
    for (int bit = 0; bit < IdGenerator.RANDOM_BITS; bit++) {
      int ones = 0;
      for (BigInteger value : randoms) {
        ones += value.testBit(bit) ? 1 : 0;
      }
      assertThat(ones).as("ids with random bit %d set", bit).isBetween(burst / 2 - 134, burst / 2 + 134);
    }
  }

  /** The 122 random bits of an id, version and variant bits taken out. */
  private static BigInteger randomPart(String id, int node) {
    assertThat(id).startsWith(node + "-");
    UUID uuid = UUID.fromString(id.substring(id.indexOf('-') + 1));
    long most = uuid.getMostSignificantBits();
    long least = uuid.getLeastSignificantBits();
    long mostRandom = ((most >>> 16) << 12) | (most & 0x0fff); // drop the 4 version bits
    long leastRandom = least & 0x3fffffffffffffffL; // drop the 2 variant bits
    return BigInteger.valueOf(mostRandom).shiftLeft(62).or(BigInteger.valueOf(leastRandom));
  }
}
