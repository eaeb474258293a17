package org.opencallback.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The status of every catalogue option that OpenCallback does not act on, with the reason; every
 * other option is {@link OptionStatus#ACTED_ON} (OptionStatusTest checks that code in src/main reads
 * each of those). Established by reading the code for each option name, 2026-12.
 */
final class OptionStatuses {
  record Status(OptionStatus status, String reason) {}

  private static final String ORS_APPLICATION =
      "used by the ORS callback application; sent to ORS with the service's options. The built-in engine"
          + " and the webhook do not act on it";
  private static final String NO_FETCH =
      "OpenCallback reaches ORS only through its HTTP session API: no DFM, no Session/Fetch transport";
  private static final String TIMER_DISPATCH =
      "OpenCallback hands callbacks over on a timer of due callbacks, with a fixed 24 h recovery window"
          + " (docs/engine.md), not by polling windows";
  private static final String NO_STATUS_NOTIFICATIONS =
      "GMS status notifications are not implemented; OpenCallback's own customer notifications use"
          + " _device_os and _device_notification_id";
  private static final String NO_PUSH_PROVIDER =
      "push providers are not implemented; OpenCallback's notification channels need no provider";
  private static final String NO_USER_ORIGINATED =
      "user-originated callbacks (access-number booking by GMS) are not implemented";
  private static final String NO_CHAT = "chat callbacks are not implemented";
  private static final String REMOVED = "removed in later GMS builds; accepted so older configurations load";

  private static final Map<String, Status> BY_KEY = new HashMap<>();

  static {
    ignored(OptionScope.CALLBACK, NO_FETCH, "_enable_gms_dfm", "_fetch_retry_attempt", "_fetch_retry_delay", "_fetch_timeout");
    ignored(OptionScope.CALLBACK, "GMS's meaning was not recovered", "_services_credentials");
    ignored(OptionScope.CALLBACK, "read by GMS's callback management UI; OpenCallback's UI does not use it",
        "callback_column_alias", "disable_additional_columns_from_callbacks");
    ignored(OptionScope.CALLBACK, "nothing reads it: background work logs through the usual log levels", "log-background-activity");
    ignored(OptionScope.CALLBACK, TIMER_DISPATCH, "queue-polling-rate", "queue-polling-rate-recover");

    ignored(OptionScope.SERVICE, TIMER_DISPATCH, "_queue_poll_period", "_queue_ping_ors_period", "_queue_poll_period_recovery");
    ignored(OptionScope.SERVICE, NO_STATUS_NOTIFICATIONS, "_enable_status_notification", "_status_notification_type",
        "_status_notification_target", "_status_notification_provider", "_status_notification_debug",
        "_status_notification_language", "_callback_events_list");
    ignored(OptionScope.SERVICE, NO_PUSH_PROVIDER, "_provider_name", "_use_debug_push_certificate");
    ignored(OptionScope.SERVICE, NO_USER_ORIGINATED, "_booking_expiration_timeout", "_resource_group", "_provide_code",
        "_userorig_connect_limit");
    ignored(OptionScope.SERVICE, NO_CHAT, "_chat_endpoint", "_client_timeout", "_chat_400_response_on_disconnected");
    ignored(OptionScope.SERVICE, "reporting events go to [server] reporting-webhook", "_reporting_aggregator_url",
        "_use_reporting_aggregator");
    ignored(OptionScope.SERVICE, "the expected wait time comes from the service's own engine",
        "_request_ewt_service");
    ignored(OptionScope.SERVICE, "read from each request; a value in the service section is not used as a default",
        "_desired_time");
    ignored(OptionScope.SERVICE, REMOVED, "_transfer_to_agent_retry_timeout", "_urs_server_url", "_urs_sec_server_url");

    engine(List.of("_agent_transfer_confirm_timeout", "_attach_udata", "_call_direction", "_media_type",
        "_wait_for_user_confirm", "_user_confirm_timeout", "_on_user_confirm_timeout",
        "_max_number_of_user_availability_confirmation_attempts", "_agent_availability_notification_delay",
        "_desired_connect_time_threshold", "_target", "_urs_prioritization_strategy", "_urs_ewt_virtual_queue",
        "_agent_reserve_timeout", "_agent_reserve_delay_before_release", "_cannot_dial_buffer_time",
        "_delay_connid_attempt_loop", "_eta_pos_threshold", "_max_time_to_reach_eta_pos_threshold",
        "_max_urs_ewt_pos_polling_interval", "_min_urs_ewt_pos_polling_interval", "_min_queue_wait",
        "_urs_ewt_estimation_method", "_urs_request_timeout", "_urs_strategy_update_sub_routine",
        "_urs_udata_xfer_keys", "_urs_call_interaction_age", "_urs_extension_data", "_agent_first_via_rp",
        "_agent_first_via_tg", "_agent_preview_set_notready_reason_attribute", "_agent_preview_set_notready_reason_key",
        "_agent_preview_via_rp", "_call_timeguard_timeout", "_calling_party_display_name", "_calling_party_number",
        "_cpd_enable", "_disposition_userevent_mediatype", "_preview_userevent_mediatype", "_ixn_createcall_hints",
        "_ixn_createcall_timeout", "_plugin_on_dial_url", "_plugin_on_dial_timeout", "_plugin_on_dial_associate_ixn",
        "_plugin_on_dial_invoke_on_call_failed", "_prefix_dial_out", "_route_point", "_trunk_group",
        "_userterminated_first_connect_party", "_vq_for_outbound_calls", "_cb_dim_channel",
        "_ixn_update_data_time_to_wait", "_max_successful_customer_contacts", "_treatment_customer_connect",
        "_treatment_waiting_for_agent", "_treatment_find_agent_fail", "_treatment_call_failure_answering_machine",
        "_rep_userevent_enable", "_rep_userevent_dn", "_rep_userevent_switch", "_rep_userevent_mediatype",
        "_ixn_redirect_confirm", "_ixn_redirect_hints", "_max_transfer_to_agent_attempts",
        "_max_time_to_wait_for_ixn_delete", "_retain_session_until_ixn_deleted", "_on_route_done_delay",
        "_offer_callback", "_offer_callback_vxml_app_url", "_src_route_point", "_snooze_duration", "_vq",
        "_service_type"));
  }

  private OptionStatuses() {}

  private static void ignored(OptionScope scope, String reason, String... names) {
    for (String name : names) {
      put(scope, name, new Status(OptionStatus.IGNORED, reason));
    }
  }

  private static void engine(List<String> names) {
    for (String name : names) {
      put(OptionScope.SERVICE, name, new Status(OptionStatus.ENGINE, ORS_APPLICATION));
    }
  }

  private static void put(OptionScope scope, String name, Status status) {
    if (BY_KEY.put(scope + "/" + name, status) != null) {
      throw new IllegalStateException("status of " + scope + "/" + name + " given twice");
    }
  }

  /** The status of a catalogue option; {@link OptionStatus#ACTED_ON} unless listed here. */
  static Status of(OptionScope scope, String name) {
    return BY_KEY.getOrDefault(scope + "/" + name, new Status(OptionStatus.ACTED_ON, ""));
  }

  /** Every scope/name listed here, to check each names a catalogue option. */
  static java.util.Set<String> listed() {
    return java.util.Set.copyOf(BY_KEY.keySet());
  }
}
