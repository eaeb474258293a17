package org.opencallback.callback.admission;

import org.opencallback.domain.Callback;

/**
 * The outcome of an accepted start request.
 *
 * @param callback the stored callback
 * @param immediate whether it was judged immediate (QUEUED at once) rather than scheduled
 */
public record StartResult(Callback callback, boolean immediate) {}
