package org.opencallback.store;

import org.opencallback.domain.Callback;

/**
 * What a delete found and did.
 *
 * @param found the callback as it was, null when there is none with that id
 * @param deleted whether it is gone now (false when its state does not allow deleting)
 */
public record DeleteResult(Callback found, boolean deleted) {}
