package org.opencallback.admission;

import java.util.UUID;

/** Callback ids in GMS style, {@code <n>-<uuid>}, where n is the node number. Thread-safe. */
public final class IdGenerator {
  private final String prefix;

  public IdGenerator(int nodeNumber) {
    this.prefix = nodeNumber + "-";
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
    return prefix + UUID.randomUUID();
  }
}
