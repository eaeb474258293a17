package org.opencallback.store;

import java.time.Instant;

/**
 * How many callbacks of one service were accepted and completed in one time bucket.
 *
 * @param service the callback service
 * @param bucketStart start of the bucket
 * @param accepted callbacks accepted (stored) in the bucket
 * @param completed callbacks that reached COMPLETED in the bucket
 */
public record ActivityCount(String service, Instant bucketStart, int accepted, int completed) {}
