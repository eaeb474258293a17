package org.opencallback.callback.admission;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Callback ids in GMS style, {@code <n>-<uuid>}, where n is the node number. The UUID is a version 4
 * (RFC 9562) one: 122 bits from {@link SecureRandom}, fresh for every id, because the id is all that
 * guards reading, changing and cancelling a callback (docs/security.md, "Callback ids"). A
 * time-ordered prefix would leave at most 74 random bits in 128, so ids are not time-ordered;
 * docs/decisions.md says what that costs. Thread-safe.
 */
public final class IdGenerator {
  /** Random bits in every id: all 128 but the 4 version and 2 variant bits. */
  public static final int RANDOM_BITS = 122;

  private final String prefix;
  private final SecureRandom random;

  public IdGenerator(int nodeNumber) {
    this(nodeNumber, new SecureRandom());
  }

  IdGenerator(int nodeNumber, SecureRandom random) {
    this.prefix = nodeNumber + "-";
    this.random = random;
  }

  /** The node number for a node id: the number itself when numeric, else a stable hash in 1..999. */
  public static int nodeNumber(String nodeId) {
    if (nodeId == null || nodeId.isBlank()) {
      return 1;
    }
    try {
      int parsed = Integer.parseInt(nodeId.trim());
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // not numeric: hashed below
    }
    return Math.floorMod(nodeId.trim().hashCode(), 999) + 1;
  }

  public String next() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes); // SecureRandom is thread-safe
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
    long most = 0;
    long least = 0;
    for (int i = 0; i < 8; i++) {
      most = (most << 8) | (bytes[i] & 0xff);
      least = (least << 8) | (bytes[i + 8] & 0xff);
    }
    return prefix + new UUID(most, least);
  }
}
