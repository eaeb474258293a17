package org.opencallback.engine;

import java.time.Duration;

/**
 * Where a callback stands in its virtual queue.
 *
 * @param queue the virtual queue's name
 * @param position 1 for the next callback to get an agent
 * @param ewt expected wait until an agent is found
 */
public record QueuePosition(String queue, int position, Duration ewt) {}
