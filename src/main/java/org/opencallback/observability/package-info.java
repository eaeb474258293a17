/**
 * Operations: the admin API's work (queues, watermarks, forget-me, bulk cancel, the cancelled
 * export), metrics, the per-callback log and reporting events. Depends on admission, store, config
 * and domain; knows nothing of HTTP.
 */
package org.opencallback.observability;
