/**
 * Office hours, capacity plans, time buckets and the availability computed from them. Pure domain:
 * no HTTP, no storage, no clock (callers pass instants). See docs/calendars.md.
 */
package org.opencallback.calendar;
