package org.opencallback.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every option OpenCallback knows, with its GMS default, how its value is checked, and a short
 * description. docs/configuration.md is the reader's version of this list.
 *
 * <p>Where GMS's default was not recovered, the default here says "(OpenCallback's choice)" in its
 * description; where only a published service template shows a value, the description says
 * "template value". Options that appear in a section but are not listed here (for example the
 * numbered office-hours keys {@code _bh_regular<n>}, or unknown options of a callback service) are
 * handled by whoever reads that section.
 *
 * <p>Why this file is long: it is a table, one entry of a few lines per option, in the order of
 * docs/configuration.md. It holds no logic; splitting it would scatter the one list readers check
 * against the documentation.
 */
public final class OptionCatalog {

  private static final List<String> NO_VALUES = List.of();

  private static final List<OptionSpec> ALL;
  private static final Map<OptionScope, Map<String, OptionSpec>> BY_SCOPE;
  private static final Map<OptionScope, List<OptionSpec>> LISTS;

  static {
    Builder b = new Builder();

    // ---------------------------------------------------------------- [callback] (global)
    b.in(OptionScope.CALLBACK, "callback");
    b.add("_enable_gms_dfm", "true", OptionType.BOOLEAN,
        "Use DFM to talk to Orchestration Server; false falls back to the Session/Fetch transport.");
    b.add("_enable_in_queue_checking", "true", OptionType.BOOLEAN,
        "Global duplicate check: refuse a new callback (40001) when the same customer number already"
            + " has two callbacks in queue. A service's own _enable_in_queue_checking also accepts strict.");
    b.add("_enable_throttle_header_parameters", "true", OptionType.BOOLEAN,
        "When a throttled parameter arrives both as an HTTP header and as a body field with different"
            + " values, throttle on the header value; false means header values are not throttled.");
    b.add("_fetch_retry_attempt", "3", OptionType.NON_NEGATIVE_INT,
        "Number of retries of a Session/Fetch action towards Orchestration Server (non-DFM mode).");
    b.add("_fetch_retry_delay", "10", OptionType.NON_NEGATIVE_INT,
        "Pause between those retries, in seconds (the unit is not stated by GMS).");
    b.add("_fetch_timeout", null, OptionType.STRING,
        "Timeout of a Session/Fetch action; GMS's description and format were not recovered, so any"
            + " value is accepted and no default is applied (OpenCallback's choice).");
    b.add("_callback_scxml_url", null, OptionType.STRING,
        "Default, for every service, of the service option of that name: the callback SCXML application"
            + " ORS runs when _service is callback. OpenCallback's own option.");
    b.add("_ewt_url", null, OptionType.STRING,
        "Default, for every service, of the service option of that name: the statistics URL giving the"
            + " EWT of ORS and webhook services. OpenCallback's own option.");
    b.add("_submit_retry_delay", "1s", OptionType.DURATION,
        "Delay after the first failed hand-off of a due callback to its engine (and of a customer"
            + " notification); it doubles after each further failure, up to one minute. OpenCallback's"
            + " own option.");
    b.add("_services_credentials", null, OptionType.STRING,
        "Listed by GMS without a recovered description; accepted so GMS configurations load, no"
            + " default (OpenCallback's choice).");
    b.add("_throttle_callbacks_per_service_1", "500", OptionType.INT,
        "Most callbacks one service accepts within _throttle_ttl_1 seconds; beyond it requests are"
            + " refused with 40003. A negative value means the default.");
    b.add("_throttle_ttl_1", "300", OptionType.INT,
        "Sliding window, in seconds, of limit 1; 0 switches that limit off. A negative value means"
            + " the default.");
    b.add("_throttle_callbacks_per_service_2", "1000", OptionType.INT,
        "Second, independent per-service limit, counted within _throttle_ttl_2 seconds (40003). A"
            + " negative value means the default.");
    b.add("_throttle_ttl_2", "3600", OptionType.INT,
        "Sliding window, in seconds, of limit 2; 0 switches that limit off. A negative value means"
            + " the default.");
    b.add("_throttle_request_parameters", "_customer_number", OptionType.LIST,
        "Request parameters (body field or header) whose values are counted for the per-value daily"
            + " throttle.");
    b.add("_throttle_request_parameters_limit", "6", OptionType.INT,
        "Most immediate callbacks per day for one value of a throttled parameter; beyond it requests"
            + " are refused with 40004. A negative value means the default.");
    b.add("_throttle_customer_number_limit", "6", OptionType.INT,
        "Name used before GMS 8.5.110 for _throttle_request_parameters_limit; used only when the newer"
            + " option is not set (OpenCallback's choice). A negative value means the default.");
    b.add("callback_column_alias", null, OptionType.STRING,
        "JSON object {\"key\":\"alias\",…} giving the display names of custom-parameter columns in the"
            + " callback management UI.");
    b.add("disable_additional_columns_from_callbacks", "false", OptionType.BOOLEAN,
        "When false, the callback management UI shows custom request parameters as extra columns. GMS's"
            + " section and default were not recovered.");
    b.add("filter-keys",
        "_callback_state,_callback_reason,_request_queue_time_stat,_request_ewt_service,_vq",
        OptionType.LIST,
        "Keys that may be used as filters in the Query Callback by Queues request.");
    b.add("returned-keys",
        "_desired_time,_callback_state,_callback_state,_callback_reason,_ors_session_id",
        OptionType.LIST,
        "Extra keys returned by the query-by-queues and query-by-properties requests (the GMS default"
            + " repeats _callback_state). _id, _desired_time, _service_name, _callback_state,"
            + " _expiration_time, _customer_number, _url and the _customer_lookup_keys are returned anyway.");
    b.add("log-background-activity", "false", OptionType.BOOLEAN,
        "Log the activity of the background queue pollers (template/test value false).");
    b.add("max_queued_callbacks_per_service", null, OptionType.INT,
        "Most callbacks a service may hold in queue at once; beyond it immediate starts are refused with"
            + " 40002 and 0 refuses every immediate start. Empty or negative means no limit (OpenCallback's"
            + " choice; GMS's default was not recovered).");
    b.add("queue-polling-rate", "5", OptionType.POSITIVE_INT,
        "Period, in seconds, of the poller that submits scheduled callbacks once they fall due. Default 5"
            + " (OpenCallback's choice; GMS's was not recovered).");
    b.add("queue-polling-rate-recover", "60", OptionType.POSITIVE_INT,
        "Period, in seconds, of the recovery poller that re-examines older unfinished callbacks (see"
            + " _queue_poll_period_recovery). Default 60 (OpenCallback's choice).");
    b.add("_fix_plus_on_int_phone_numbers", "true", OptionType.BOOLEAN,
        "Global copy of the service option; GMS requires the same value here and in every service for a"
            + " lookup by _customer_number without a service name to work.");

    // ---------------------------------------------------------------- service: General
    b.in(OptionScope.SERVICE, "General");
    b.add("_agent_transfer_confirm_timeout", "0", OptionType.NON_NEGATIVE_INT,
        "Seconds to wait for the events confirming the transfer to the agent; on timeout the transfer is"
            + " assumed to have worked. 0 disables the wait.");
    b.choice("_attach_udata", "single_json", List.of("separate_keys", "single_json", "gms_storage_id"),
        "How the request's data reaches the agent: one key-value pair per key, all keys as one JSON"
            + " string under GMS_UserData, or only the GMS record id under GMS_UserData.");
    b.add("_business_hours_service", null, OptionType.STRING,
        "Name of the office-hours service against which desired times are checked and from which"
            + " available time slots are built.");
    b.choice("_call_direction", "USERORIGINATED", List.of("USERORIGINATED", "USERTERMINATED"),
        "Who places the call: the customer's device (USERORIGINATED) or the contact center"
            + " (USERTERMINATED). User-terminated templates set USERTERMINATED.");
    b.add("_capacity_service", null, OptionType.STRING,
        "Name of the capacity service that limits how many scheduled callbacks each time bucket takes.");
    b.add("_customer_lookup_keys", "_customer_number", OptionType.LIST,
        "Properties that identify a customer and can be used to look callbacks up (for example"
            + " _customer_number,_phone_number); must include every _mandatory_customer_lookup_keys key.");
    b.add("_mandatory_customer_lookup_keys", "_customer_number", OptionType.LIST,
        "Keys every start request must carry; a missing one is refused with 400. When both lookup-key"
            + " options are empty, both mean _customer_number.");
    b.add("_exceptions", null, OptionType.LIST,
        "Name of a section of exception patterns (LABEL: Java regular expression), or a comma-separated"
            + " list of such sections; a request with a matching value is refused.");
    b.add("_max_ors_submit_attempts", "3", OptionType.NON_NEGATIVE_INT,
        "How many times a due callback is handed to the execution engine before it leaves the queue"
            + " as COMPLETED with reason SUBMIT_FAILED (error 50006).");
    b.add("_max_time_to_wait_for_agent_on_the_call", "3600", OptionType.NON_NEGATIVE_INT,
        "Seconds to wait, once the customer is connected, for the agent to accept and answer; too"
            + " short a value ends callbacks with FAIL_AGENT_CONNECT.");
    b.choice("_media_type", "voice", List.of("voice", "chat"),
        "Media of the interaction, which the router uses to pick an agent able to handle it.");
    b.add("_ttl", "86400", OptionType.NON_NEGATIVE_INT,
        "Seconds a callback record is kept after its desired time before it is purged; a callback not"
            + " handled by then ends with FAIL_TIMEOUT_TTL.");
    b.add("_wait_for_agent", "true", OptionType.BOOLEAN,
        "true: wait for an agent to become available before contacting the customer; false: contact"
            + " may start as soon as the callback is executed. Several GMS templates set false.");
    b.add("_wait_for_user_confirm", "false", OptionType.BOOLEAN,
        "Notify the customer's device when an agent is available and wait for the customer to confirm;"
            + " only meaningful with _wait_for_agent true.");
    b.add("_user_confirm_timeout", "30", OptionType.NON_NEGATIVE_INT,
        "Seconds the customer has to confirm readiness.");
    b.choice("_enable_status_notification", "false", List.of("false", "subscribe_notify", "notify"),
        "Callback status notifications: subscribe_notify subscribes on the client's behalf; notify"
            + " sends to a client that already subscribed; false sends none.");
    b.choice("_status_notification_type", null, List.of("httpcb", "orscb"),
        "Channel of status notifications: an HTTP callback URL or an Orchestration Server session.");
    b.add("_status_notification_target", null, OptionType.STRING,
        "Where status notifications go: the URL (httpcb) or the session id (orscb); needed when"
            + " notifications are on.");
    b.add("_status_notification_provider", null, OptionType.STRING,
        "Name of the provider configuration used for status notifications.");
    b.add("_enable_notification_reminder", "false", OptionType.BOOLEAN,
        "With status notifications on, also send the _cbe_on_callback_reminder event shortly before"
            + " the customer is dialed.");
    b.add("_notification_reminder_buffer", "300", OptionType.NON_NEGATIVE_INT,
        "How many seconds before dialing that reminder is sent.");
    b.add("_agent_availability_notification_delay", "30", OptionType.NON_NEGATIVE_INT,
        "Delay related to the agent-available notification, by its name in seconds (template value;"
            + " GMS's exact meaning was not confirmed).");
    b.add("_paused_services_list", "GMS_Paused_Services", OptionType.STRING,
        "Name of the transaction list (a section here) whose services entries pause (true) or resume"
            + " (false) services (template value).");
    b.add("_paused_services_id", null, OptionType.STRING,
        "Key under which this service may also be paused in that transaction list, besides its name"
            + " and all.");
    b.add("_service", "callback", OptionType.STRING,
        "Service kind: callback, or the URL of a custom callback SCXML application (template value).");
    b.choice("_type", "ors", List.of("builtin", "ors"),
        "ors for a callback service; builtin marks the office-hours and capacity services.");

    // ---------------------------------------------------------------- service: Scheduled Call
    b.in(OptionScope.SERVICE, "Scheduled Call");
    b.add("_desired_time", null, OptionType.STRING,
        "Requested callback time, ISO 8601 in UTC (yyyy-MM-ddTHH:mm:ss.SSSZ); normally sent with each"
            + " request, absent means now.");
    b.add("_desired_connect_time_threshold", "180", OptionType.NON_NEGATIVE_INT,
        "A callback that reaches the execution engine early waits until this many seconds before its"
            + " desired time; keep it greater than _request_execution_time_buffer.");
    b.add("_max_request_by_time_bucket", "100", OptionType.NON_NEGATIVE_INT,
        "Most scheduled callbacks per time bucket when the service has no capacity service.");
    b.add("_reject_future_desired_time", "1M", OptionType.PERIOD,
        "Furthest a callback may be scheduled ahead, as a number and a unit y, M, w, d, h or m; a later"
            + " desired time is refused.");
    b.add("_reject_past_desired_time", null, OptionType.NON_NEGATIVE_INT,
        "How many seconds in the past a desired time may lie; such a callback is immediate, an older"
            + " one is refused. Empty means not checked: any past time is accepted (OpenCallback's"
            + " choice; GMS's default was not recovered).");
    b.add("_request_execution_time_buffer", "120", OptionType.NON_NEGATIVE_INT,
        "Seconds before the desired time at which a callback is handed to the execution engine; a"
            + " desired time closer than this buffer (plus the EWT) makes the callback immediate.");
    b.add("_request_queue_time_stat", null, OptionType.STRING,
        "Statistic, usually the expected wait time, added to the buffer when deciding immediacy and"
            + " submission time, as Stat;ObjectType;ObjectId;Tenant. A request may override it.");
    b.add("_request_ewt_service", null, OptionType.STRING,
        "Name of the service that supplies the expected wait time; usable as a query filter key. GMS's"
            + " description was not recovered.");
    b.choice("_request_time_bucket", "5", List.of("5", "10", "15", "20", "30", "60", "120"),
        "Size, in minutes, of a scheduling bucket; capacity and _max_request_by_time_bucket apply per"
            + " bucket.");
    b.add("_queue_poll_period", "-120,120", OptionType.RANGE,
        "Window, in minutes around now, of desired times the regular poller picks up for submission"
            + " (template value; meaning inferred from GMS tests).");
    b.add("_queue_ping_ors_period", "-120,-2", OptionType.RANGE,
        "Window, in minutes around now, in which already submitted callbacks are checked against the"
            + " execution engine and resubmitted if their session is gone (template value; inferred).");
    b.add("_queue_poll_period_recovery", "-1440,-120", OptionType.RANGE,
        "Window, in minutes around now, scanned by the recovery poller to resubmit old unfinished"
            + " callbacks (template value; inferred).");

    // ---------------------------------------------------------------- service: Queue Management
    b.in(OptionScope.SERVICE, "Queue Management");
    b.add("_default_country", "US", OptionType.STRING,
        "ISO 3166 country used to check customer numbers; needed when either disallow option is on.");
    b.add("_disallow_impossible_phone_numbers", "true", OptionType.BOOLEAN,
        "Refuse numbers that cannot be parsed, contain unexpected characters or are too long for the"
            + " country.");
    b.add("_disallow_premium_phone_numbers", "true", OptionType.BOOLEAN,
        "Refuse premium-rate numbers (such as US 1-900 numbers) of the _default_country.");
    b.choice("_enable_in_queue_checking", "true", List.of("true", "false", "strict"),
        "Duplicate check, for immediate and scheduled callbacks alike: true refuses a number that already"
            + " has two callbacks in queue, strict one that has one, false does not check (40001).");
    b.add("_enable_reject_out_of_office_hours", "false", OptionType.BOOLEAN,
        "By its name, refuse requests whose desired time falls outside office hours; GMS's full"
            + " description was not recovered.");
    b.add("_enable_throttle_header_parameters", "true", OptionType.BOOLEAN,
        "Service-level copy of the [callback] option of the same name.");
    b.add("_fix_plus_on_int_phone_numbers", "true", OptionType.BOOLEAN,
        "Add the missing + to international numbers in _customer_number.");
    b.add("_max_queued_callbacks_per_service", null, OptionType.INT,
        "This service's limit of callbacks in queue, overriding [callback]"
            + " max_queued_callbacks_per_service; empty means the global value applies (OpenCallback's"
            + " choice; templates ship 1000).");
    b.add("_throttle_callbacks_per_service_1", "500", OptionType.INT,
        "Service-level copy of the throttle limit 1 (40003); empty means the [callback] value, negative"
            + " means the default.");
    b.add("_throttle_ttl_1", "300", OptionType.INT,
        "Service-level copy of the window of limit 1, in seconds; empty means the [callback] value,"
            + " negative means the default.");
    b.add("_throttle_callbacks_per_service_2", "1000", OptionType.INT,
        "Service-level copy of the throttle limit 2 (40003); empty means the [callback] value, negative"
            + " means the default.");
    b.add("_throttle_ttl_2", "3600", OptionType.INT,
        "Service-level copy of the window of limit 2, in seconds; empty means the [callback] value,"
            + " negative means the default.");
    b.add("_throttle_request_parameters", "_customer_number", OptionType.LIST,
        "Service-level copy of the parameters counted per value; empty means the [callback] value.");
    b.add("_throttle_request_parameters_limit", "6", OptionType.INT,
        "Service-level copy of the per-value daily limit (40004); empty means the [callback] value,"
            + " negative means the default.");
    b.add("_throttle_customer_number_limit", "6", OptionType.INT,
        "Older name of _throttle_request_parameters_limit, used only when the newer option is not set"
            + " (OpenCallback's choice).");

    // ---------------------------------------------------------------- service: URS Queueing
    b.in(OptionScope.SERVICE, "URS Queueing");
    b.add("_target", "{specify your target here}", OptionType.STRING,
        "Routing target Target@StatServer.Type (Type A, AP, GA, GP or GC; ?: prefix for a skill"
            + " expression), or a JSON array of targets with timeouts. The default is the template"
            + " placeholder.");
    b.add("_urs_virtual_queue", "{Specify virtual queue to be used by strategy}", OptionType.STRING,
        "Virtual queue in which callbacks wait for an agent; a request may override it. The default is"
            + " the template placeholder.");
    b.add("_urs_queued_ttl", "14400", OptionType.NON_NEGATIVE_INT,
        "Most seconds to wait for a target before the callback leaves the virtual queue; too short a"
            + " value ends callbacks with FAIL_TARGET_NOT_FOUND.");
    b.add("_urs_prioritization_strategy", "WaitForTarget", OptionType.STRING,
        "Routing strategy used to prioritize the queued callbacks.");
    b.add("_urs_ewt_virtual_queue", null, OptionType.STRING,
        "Virtual queue used only to read the expected wait time.");
    b.add("_agent_reserve_timeout", "30", OptionType.NON_NEGATIVE_INT,
        "Seconds a reserved agent stays reserved for the callback.");
    b.add("_agent_reserve_delay_before_release", "0", OptionType.NON_NEGATIVE_INT,
        "Milliseconds to wait before releasing an agent reservation.");
    b.add("_cannot_dial_buffer_time", "0", OptionType.NON_NEGATIVE_INT,
        "When above 0, stop dialing once _urs_queued_ttl minus this many seconds has elapsed.");
    b.add("_delay_connid_attempt_loop", "100", OptionType.NON_NEGATIVE_INT,
        "Milliseconds between attempts to obtain the call's connection id.");
    b.add("_eta_pos_threshold", "0:10,10:5,20:2,30:1,40:0", OptionType.STRING,
        "Pairs ewt:position telling when an agent is deemed about to be available; the first position"
            + " always qualifies.");
    b.add("_max_time_to_reach_eta_pos_threshold", "3600", OptionType.NON_NEGATIVE_INT,
        "Most seconds to wait for that threshold to be reached (template value; another template has"
            + " 14160).");
    b.add("_max_urs_ewt_pos_polling_interval", "30", OptionType.NON_NEGATIVE_INT,
        "Longest interval, in seconds, between polls of the expected wait time and position (template"
            + " value).");
    b.add("_min_urs_ewt_pos_polling_interval", "2", OptionType.NON_NEGATIVE_INT,
        "Shortest interval, in seconds, between those polls (template value).");
    b.add("_min_queue_wait", "0", OptionType.NON_NEGATIVE_INT,
        "Least time, in seconds, a callback spends in queue (template value).");
    b.add("_urs_ewt_estimation_method", "ursdial", OptionType.STRING,
        "Method used to estimate the wait time (template value).");
    b.add("_urs_request_timeout", "100", OptionType.STRING,
        "Timeout of requests to the router; unit not recovered (template value).");
    b.add("_urs_strategy_update_sub_routine", "SetRouteDelay", OptionType.STRING,
        "Strategy subroutine called to update the queued callback (template value).");
    b.add("_urs_udata_xfer_keys", null, OptionType.LIST,
        "Keys of user data taken back from routing into the callback.");
    b.add("_urs_call_interaction_age", null, OptionType.STRING,
        "Interaction age used for prioritization in the router (template option, empty).");
    b.add("_urs_extension_data", null, OptionType.STRING,
        "Extension data passed to the router (template option, empty).");
    b.add("_urs_vq_priority", null, OptionType.STRING,
        "Priority of the callback in the virtual queue (template option, empty).");
    b.add("_urs_vq_priority_increment", null, OptionType.STRING,
        "Amount by which that priority grows over time (template option, empty).");
    b.add("_urs_vq_priority_increment_interval", null, OptionType.STRING,
        "Interval between priority increments (template option, empty).");

    // ---------------------------------------------------------------- service: Notification
    b.in(OptionScope.SERVICE, "Notification");
    b.add("_notification_message_file",
        "/genesys/1/document/service_template/callback/Resources/Strings/messages.json",
        OptionType.STRING,
        "URL of the localized texts pushed to the customer's device; an unreadable file ends callbacks"
            + " with FAIL_LOAD_MESSAGE_FILE.");
    b.add("_max_number_of_user_availability_confirmation_attempts", "3", OptionType.NON_NEGATIVE_INT,
        "Most agent-available notifications sent before the contact attempt fails; ignored without push"
            + " parameters.");
    b.add("_max_notify_delivery_attempts", "3", OptionType.NON_NEGATIVE_INT,
        "Attempts to deliver one push notification (template value).");
    b.add("_provider_name", null, OptionType.STRING,
        "Name of the push provider configuration.");
    b.add("_use_debug_push_certificate", "false", OptionType.BOOLEAN,
        "Use the sandbox (debug) push certificate (template value).");

    // ---------------------------------------------------------------- service: Voice - User Originated
    b.in(OptionScope.SERVICE, "Voice - User Originated");
    b.add("_booking_expiration_timeout", "30", OptionType.NON_NEGATIVE_INT,
        "Seconds an access number stays booked for the customer, who must call within that time.");
    b.add("_resource_group", "DNIS", OptionType.STRING,
        "Resource group that supplies the access numbers (template value).");
    b.add("_provide_code", "false", OptionType.BOOLEAN,
        "Also hand out an access code with the access number (template value).");
    b.add("_userorig_connect_limit", "3", OptionType.NON_NEGATIVE_INT,
        "Most connection attempts in a user-originated callback (template value).");

    // ---------------------------------------------------------------- service: Voice - User Terminated
    b.in(OptionScope.SERVICE, "Voice - User Terminated");
    b.add("_agent_disposition_timeout", "45", OptionType.NON_NEGATIVE_INT,
        "Seconds the agent has to answer the disposition dialog.");
    b.add("_agent_first_via_rp", "false", OptionType.BOOLEAN,
        "Agent-first without preview: dial the customer from _route_point instead of the agent's DN.");
    b.add("_agent_first_via_tg", "false", OptionType.BOOLEAN,
        "Agent-first without preview: dial the customer through _trunk_group.");
    b.add("_agent_preview", "false", OptionType.BOOLEAN,
        "Show the agent a preview of the callback, to accept or reject, before dialing.");
    b.add("_agent_preview_allow_reject", "0", OptionType.NON_NEGATIVE_INT,
        "0: the preview has no Reject button; n > 0: the callback may be rejected n times, then ends"
            + " with AGENT_PREVIEW_CANCEL_AFTER_<n>REJECTS.");
    b.add("_agent_preview_data", "Value 1,Value 2,Value 3,Value 4,Value 5", OptionType.LIST,
        "Keys shown in the preview (template value).");
    b.add("_agent_preview_timeout", "30", OptionType.NON_NEGATIVE_INT,
        "Seconds the agent has to accept or reject the preview (template value).");
    b.add("_agent_preview_timeout_set_notready", "false", OptionType.BOOLEAN,
        "Set the agent NotReady when the preview times out.");
    b.add("_agent_preview_set_notready_reason", null, OptionType.STRING,
        "Numeric reason code sent with that NotReady (ReasonCode extension).");
    b.add("_agent_preview_set_notready_reason_attribute", "false", OptionType.BOOLEAN,
        "Also put the reason into the AttributeReason of the NotReady event.");
    b.add("_agent_preview_set_notready_reason_key", "ReasonCode", OptionType.STRING,
        "Key of the reason in AttributeReason.");
    b.add("_agent_preview_via_rp", "false", OptionType.BOOLEAN,
        "In a preview scenario, dial the customer from _route_point instead of the agent's DN.");
    b.add("_agent_reject_retry_timeout", "0", OptionType.NON_NEGATIVE_INT,
        "Seconds to wait after a rejected preview before offering the callback again (template value).");
    b.add("_call_timeguard_timeout", "15000", OptionType.NON_NEGATIVE_INT,
        "Milliseconds to wait for call events before giving up (template value).");
    b.add("_calling_party_display_name", null, OptionType.STRING,
        "Caller name presented to the customer.");
    b.add("_calling_party_number", null, OptionType.STRING,
        "Caller number presented to the customer.");
    b.add("_cpd_enable", "true", OptionType.BOOLEAN,
        "Use call progress detection (answering machine, fax…) when dialing the customer (reference"
            + " value per a template comment).");
    b.add("_dial_retry_timeout", "300", OptionType.NON_NEGATIVE_INT,
        "Seconds between two attempts to dial the customer (template value).");
    b.add("_max_dial_attempts", "3", OptionType.NON_NEGATIVE_INT,
        "Most attempts to dial the customer (template value).");
    b.add("_enable_disposition_dialog", "false", OptionType.BOOLEAN,
        "Show the agent a disposition dialog after the call (template value).");
    b.add("_disposition_userevent_mediatype", "0", OptionType.NON_NEGATIVE_INT,
        "Media type number of the disposition UserEvent (template value).");
    b.add("_preview_userevent_mediatype", "0", OptionType.NON_NEGATIVE_INT,
        "Media type number of the preview UserEvent (template value).");
    b.add("_ixn_createcall_hints", null, OptionType.STRING,
        "Hints passed when the outbound call is created.");
    b.add("_ixn_createcall_timeout", "32", OptionType.NON_NEGATIVE_INT,
        "Seconds allowed to create the outbound call (template value).");
    b.add("_on_user_confirm_timeout", "CONNECT-ANYWAY", OptionType.STRING,
        "What to do when the customer does not confirm in time: CONNECT-ANYWAY connects anyway,"
            + " otherwise the callback ends with FAIL_USER_NO_CONFIRM (template value; the other values"
            + " were not recovered, so any text is accepted).");
    b.add("_plugin_on_dial_url", null, OptionType.STRING,
        "URL of an On-Dial plugin application invoked before the customer is dialed.");
    b.add("_plugin_on_dial_timeout", "120", OptionType.NON_NEGATIVE_INT,
        "Seconds allowed to the On-Dial plugin (template value).");
    b.add("_plugin_on_dial_associate_ixn", "true", OptionType.BOOLEAN,
        "Associate the interaction with the On-Dial plugin session (template value).");
    b.add("_plugin_on_dial_invoke_on_call_failed", "true", OptionType.BOOLEAN,
        "Invoke the On-Dial plugin also when the call failed (template value).");
    b.add("_prefix_dial_out", null, OptionType.STRING,
        "Prefix dialed before the customer number. A template comment gives 91 as GMS's reference"
            + " default; OpenCallback dials numbers as given unless it is set (OpenCallback's choice).");
    b.add("_route_point", "{Route Point}@{Telephony Switch}", OptionType.STRING,
        "Route point DN@switch used by _agent_preview_via_rp and _agent_first_via_rp (template"
            + " placeholder).");
    b.add("_trunk_group", null, OptionType.STRING,
        "Trunk group used by _agent_first_via_tg.");
    b.choice("_userterminated_first_connect_party", "CUSTOMER", List.of("CUSTOMER", "AGENT"),
        "Which party is connected first in a user-terminated callback (template value).");
    b.add("_vq_for_outbound_calls", null, OptionType.STRING,
        "Virtual queue used for the outbound call leg.");
    b.add("_cb_dim_channel", null, OptionType.STRING,
        "Listed by GMS without a recovered description.");
    b.add("_ixn_update_data_time_to_wait", null, OptionType.STRING,
        "Listed by GMS without a recovered description.");
    b.add("_max_successful_customer_contacts", null, OptionType.STRING,
        "Listed by GMS without a recovered description.");

    // ---------------------------------------------------------------- service: Voice Treatment
    b.in(OptionScope.SERVICE, "Voice Treatment");
    b.add("_treatment_customer_connect", null, OptionType.STRING,
        "Treatment played to the customer when connected; empty means none.");
    b.add("_treatment_waiting_for_agent", null, OptionType.STRING,
        "Treatment played while the customer waits for an agent; empty means none.");
    b.add("_treatment_find_agent_fail", null, OptionType.STRING,
        "Treatment played when no agent could be found; empty means none.");
    b.add("_treatment_call_failure_answering_machine", null, OptionType.STRING,
        "Treatment played when an answering machine answers; empty means none.");

    // ---------------------------------------------------------------- service: Reporting
    b.in(OptionScope.SERVICE, "Reporting");
    b.add("_rep_userevent_enable", "false", OptionType.BOOLEAN,
        "Send reporting UserEvents (template value).");
    b.add("_rep_userevent_dn", null, OptionType.STRING,
        "DN to which reporting UserEvents are sent.");
    b.add("_rep_userevent_switch", null, OptionType.STRING,
        "Switch of that DN.");
    b.add("_rep_userevent_mediatype", "0", OptionType.NON_NEGATIVE_INT,
        "Media type number of the reporting UserEvents (template value).");
    b.add("_reporting_aggregator_url", null, OptionType.STRING,
        "URL of a reporting aggregator.");
    b.add("_use_reporting_aggregator", null, OptionType.STRING,
        "By its name, send reporting to the aggregator; its values were not recovered, so any text is"
            + " accepted.");
    b.add("_callback_events_list", null, OptionType.STRING,
        "Name of the transaction list (a section here, e.g. GMS_Events) that sets the status"
            + " notification properties and the events to send.");

    // ---------------------------------------------------------------- service: Chat
    b.in(OptionScope.SERVICE, "Chat");
    b.add("_chat_endpoint", null, OptionType.STRING,
        "Chat endpoint of a chat callback, e.g. Environment:chat_ors.");
    b.add("_client_timeout", "120", OptionType.NON_NEGATIVE_INT,
        "Seconds of chat client inactivity allowed (template value).");
    b.add("_chat_400_response_on_disconnected", "false", OptionType.BOOLEAN,
        "Answer 400 to chat requests once the chat is disconnected (template value).");

    // ---------------------------------------------------------------- service: Other
    b.in(OptionScope.SERVICE, "Other");
    b.add("_ixn_redirect_confirm", "true", OptionType.BOOLEAN,
        "Wait for confirmation of an interaction redirect (template value).");
    b.add("_ixn_redirect_hints", null, OptionType.STRING,
        "Hints passed with an interaction redirect.");
    b.add("_max_transfer_to_agent_attempts", "5", OptionType.NON_NEGATIVE_INT,
        "Most attempts to transfer the customer to the agent (template value).");
    b.add("_max_time_to_wait_for_ixn_delete", "3600", OptionType.NON_NEGATIVE_INT,
        "Seconds to wait for the interaction to be deleted (template value).");
    b.add("_retain_session_until_ixn_deleted", "false", OptionType.BOOLEAN,
        "Keep the session, and the callback PROCESSING, until the interaction is deleted.");
    b.add("_on_route_done_delay", "0", OptionType.NON_NEGATIVE_INT,
        "Delay after routing is done (template value).");
    b.add("_offer_callback", "false", OptionType.BOOLEAN,
        "Offer a callback from a voice application (template value).");
    b.add("_offer_callback_vxml_app_url", null, OptionType.STRING,
        "URL of the VoiceXML application that offers the callback.");
    b.add("_src_route_point", null, OptionType.STRING,
        "Source route point of the call.");
    b.add("_snooze_duration", "300", OptionType.NON_NEGATIVE_INT,
        "Seconds a snoozed callback waits (template value).");
    b.add("_vq", null, OptionType.STRING,
        "Virtual queue key carried by GMS templates and usable as a query filter; its exact meaning was"
            + " not recovered.");
    b.add("_transfer_to_agent_retry_timeout", null, OptionType.STRING,
        "Removed in later GMS builds; accepted so older configurations load.");
    b.add("_urs_server_url", null, OptionType.STRING,
        "Removed in later GMS builds; accepted so older configurations load.");
    b.add("_urs_sec_server_url", null, OptionType.STRING,
        "Removed in later GMS builds; accepted so older configurations load.");

    // ---------------------------------------------------------------- service: No Category
    b.in(OptionScope.SERVICE, "No Category");
    b.add("_overwritable_options", null, OptionType.LIST,
        "Which of _ors, _redirect and _target a request may override (for example ?_redirect=\"\""
            + " disables redirection for that request).");
    b.add("_redirect", null, OptionType.STRING,
        "Name of another service to which this service's requests are redirected; a failure answers"
            + " 50040.");
    b.add("_ors", null, OptionType.STRING,
        "Base URL(s) of Orchestration Server, e.g. http://myors:4421, for services executed by ORS.");
    b.choice("_ors_lb_strategy", "circular", List.of("circular", "linear"),
        "How requests are spread over several _ors URLs: in turn (circular) or in the"
            + " order listed (linear). Default circular (OpenCallback's choice).");
    b.add("_service_type", null, OptionType.STRING,
        "callback when _service is the URL of a custom SCXML application.");
    b.add("_status_notification_debug", "false", OptionType.BOOLEAN,
        "Debug mode for status notifications.");
    b.add("_status_notification_language", null, OptionType.STRING,
        "Language of the texts of status notifications.");
    b.add("username", null, OptionType.STRING,
        "User name that protects this service's endpoints, overriding [server] username; user name and"
            + " password resolve separately.");
    b.add("password", null, OptionType.STRING,
        "Password that protects this service's endpoints, overriding [server] password; credentials are"
            + " asked for only when a password is in effect.");

    // ---------------------------------------------------------------- service: OpenCallback's own
    b.in(OptionScope.SERVICE, "OpenCallback");
    b.choice("_state_reports", null, List.of("any", "engine-only"),
        "Who may report execution states (_callback_state in a PUT) of this service's callbacks: any"
            + " client of the service endpoints (GMS's behaviour), or engine-only, the [server]"
            + " engine-username with its engine-password-hash. Unset: [server] state-reports."
            + " docs/security.md, \"Server-owned state\". OpenCallback's own option.");
    b.choice("_execution", "builtin", List.of("builtin", "webhook", "ors"),
        "Which engine executes this service's due callbacks: the built-in engine, an HTTP webhook"
            + " (_webhook_url), or Orchestration Server (_ors). OpenCallback's own option.");
    b.add("_webhook_url", null, OptionType.STRING,
        "URL that receives this service's due callbacks when _execution is webhook. OpenCallback's own"
            + " option.");
    b.add("_webhook_secret", null, OptionType.STRING,
        "Shared secret with which OpenCallback authenticates its webhook calls, so the receiver can"
            + " check they come from it. OpenCallback's own option.");
    b.add("_webhook_timeout", "10s", OptionType.DURATION,
        "How long OpenCallback waits for the webhook to answer before counting a failed attempt."
            + " OpenCallback's own option.");
    b.add("_callback_scxml_url", null, OptionType.STRING,
        "URL of the callback SCXML application ORS runs (session src) when _service is callback; a"
            + " _service that is itself a URL is used as it is. No default: an ORS hand-off without an"
            + " application fails. Also read from the callback section. OpenCallback's own option.");
    b.add("_ewt_url", null, OptionType.STRING,
        "Statistics URL giving the expected wait time of an ORS or webhook service: GET"
            + " ?service=&stat= answering {\"ewt\": seconds}, used by _request_queue_time_stat. No"
            + " default: EWT 0. Also read from the callback section. OpenCallback's own option.");

    // ---------------------------------------------------------------- office-hours service
    b.in(OptionScope.OFFICE_HOURS, "Office Hours");
    b.add("_timezone", "UTC", OptionType.ZONE,
        "Time zone, as a Java zone id such as Europe/Paris (not EST), in which all hours and dates of"
            + " the service are read. Default UTC (OpenCallback's choice).");
    b.add("_ttl", "30", OptionType.NON_NEGATIVE_INT,
        "Carried by every GMS office-hours service (template value 30); GMS does not describe it, by"
            + " name a time-to-live in seconds.");

    // ---------------------------------------------------------------- capacity service
    b.in(OptionScope.CAPACITY, "Capacity");
    b.add("_timezone", "UTC", OptionType.ZONE,
        "Time zone, as a Java zone id, in which the hour slots of the capacity rules are read.");
    b.add("_capacity", "[Mon, Tue, Wed, Thu, Fri, Sat, Sun]", OptionType.STRING,
        "Order of the days numbered by _capacity_1 … _capacity_7 (template value).");
    b.add("_capacity_add", null, OptionType.STRING,
        "Capacity exceptions for specific dates; {} or [] means none (GMS's format was not"
            + " recovered).");

    // ---------------------------------------------------------------- [capacity] (global)
    b.in(OptionScope.CAPACITY_LIMITS, "capacity");
    b.add("_max_capacity", "1000", OptionType.POSITIVE_INT,
        "Highest capacity a capacity service may give one hour slot; a larger configured value is an"
            + " error.");

    // ---------------------------------------------------------------- [engine] (OpenCallback)
    b.in(OptionScope.ENGINE, "OpenCallback");
    b.add("agents", "0", OptionType.NON_NEGATIVE_INT,
        "Number of simulated agents that take callbacks by themselves; 0 leaves only agents connected"
            + " through the agent API. Setting any option of this section but max-agents turns simulation on (simulated"
            + " dialer, simulated customers); without the section nothing is simulated.");
    b.add("talk_time", "2s", OptionType.DURATION,
        "How long a simulated agent's call lasts.");
    b.add("max-agents", "100", OptionType.POSITIVE_INT,
        "Most real agents (agent API) this node keeps: a login of a new agent id beyond it is refused"
            + " (40020); a logged-out agent makes room. Simulated agents do not count. OpenCallback's own.");
    b.add("ring_time", "1s", OptionType.DURATION,
        "How long the simulated dialer takes to get an outcome for a dialed number.");
    b.add("dial_outcomes", null, OptionType.STRING,
        "Mapping of a regular expression on the customer number to answer, busy, no_answer,"
            + " answering_machine or fax; first match wins, answer when none. A YAML mapping, checked"
            + " by the engine's configuration reader rather than by this catalogue.");
    b.add("customer_patience", null, OptionType.DURATION,
        "Customer first: how long a simulated customer on the line waits for an agent before hanging up"
            + " (ABANDONED_IN_QUEUE); empty: for ever.");

    // ---------------------------------------------------------------- [server] (GMS)
    b.in(OptionScope.SERVER, "server");
    b.add("username", null, OptionType.STRING,
        "User name of the Basic authentication protecting every service endpoint. Other GMS server"
            + " options are accepted in this section.");
    b.add("password", null, OptionType.STRING,
        "Password of that Basic authentication; without a password in effect the endpoints are open.");
    b.add("public-url", null, OptionType.STRING,
        "Base URL under which other systems reach this server (webhook report_url, ORS session data),"
            + " e.g. https://callback.example.com; default http://localhost:<port>, https://localhost:<port> when"
            + " the server serves TLS. OpenCallback's own option.");
    b.add("cors-allowed-origins", null, OptionType.LIST,
        "Origins (scheme://host[:port]) whose web pages may call the public callback API from a browser"
            + " (CORS); * for any. Empty: CORS off. The admin API is never opened by CORS. OpenCallback's own.");
    b.add("reporting-webhook", null, OptionType.STRING,
        "URL every reporting event (callback accepted, refused, state changed) is POSTed to as JSON, in"
            + " the background. Empty: events are only logged. OpenCallback's own.");
    b.add("max-concurrent-requests", "200", OptionType.NON_NEGATIVE_INT,
        "Requests handled at once; one more is refused at once with 503, a GMS error body (50050) and"
            + " Retry-After instead of queueing (load shedding). /health/* is never limited. 0: no limit."
            + " Read at start. OpenCallback's own.");
    b.add("max-event-streams", "1000", OptionType.POSITIVE_INT,
        "Server-sent event streams (agents' and customers' pages) open at once; one more is refused with"
            + " 503 (50050) and Retry-After. Bounds the streams' writer threads too. Read at start."
            + " OpenCallback's own.");
    b.add("max-event-streams-per-client", "500", OptionType.POSITIVE_INT,
        "Event streams open at once from one client address. Read at start. OpenCallback's own.");
    b.add("event-stream-queue", "256", OptionType.POSITIVE_INT,
        "Events queued for one stream whose client has not read them yet; a client that lets the queue"
            + " fill is disconnected (slow or dead). Read at start. OpenCallback's own.");
    b.add("event-stream-heartbeat", "15s", OptionType.DURATION,
        "How often each event stream gets a comment (: ping), which finds clients that went away."
            + " Read at start. OpenCallback's own.");

    b.add("outbound-allowed-urls", null, OptionType.URL_PATTERNS,
        "URLs a request may make this server call (the _ors overwrite, httpcb notifications'"
            + " _device_notification_id, a token-filled _webhook_url or _notification_message_file; checked at"
            + " admission, 400 / 40040, and at every connection): [http(s)://]host[:port] entries, host possibly *.domain. Empty:"
            + " no request-chosen URL is called. URLs in service sections are trusted and need no entry."
            + " docs/security.md, \"Outbound URLs\". OpenCallback's own.");
    b.add("outbound-allowed-ranges", null, OptionType.ADDRESS_RANGES,
        "Address ranges (10.1.0.0/16, 127.0.0.1, ::1) a request-chosen URL may reach although they are"
            + " loopback, private, link-local or otherwise special; every address its host resolves to"
            + " must be public or in one of these. Empty: public addresses only. OpenCallback's own.");
    b.choice("state-reports", "any", List.of("any", "engine-only"),
        "Who may report execution states (_callback_state in a PUT) for every service that does not set"
            + " _state_reports: any client (GMS's behaviour) or engine-only (the engine credentials below)."
            + " engine-only is recommended in production. OpenCallback's own.");
    b.add("engine-username", "engine", OptionType.STRING,
        "User name of the execution engine's credentials (HTTP Basic) for state reports. OpenCallback's own.");
    b.add("engine-password-hash", null, OptionType.STRING,
        "bcrypt hash (hash-password command) of the engine's password. Without it, engine-only state"
            + " reports are refused to everyone. Never logged. OpenCallback's own.");

    b.add("session-idle-timeout", "30m", OptionType.DURATION,
        "Management UI: a login session unused this long ends. OpenCallback's own.");
    b.add("session-absolute-timeout", "12h", OptionType.DURATION,
        "Management UI: a login session ends this long after the login, used or not. OpenCallback's own.");
    b.add("session-cookie-secure", "false", OptionType.BOOLEAN,
        "Management UI: mark the session cookie Secure even when this server speaks plain HTTP (set it"
            + " behind a TLS proxy); under TLS it is always Secure. OpenCallback's own.");
    b.add("max-concurrent-password-checks", "4", OptionType.POSITIVE_INT,
        "bcrypt checks of users' passwords run at once; a login finding them all busy for a second is"
            + " refused with 503 and Retry-After. Read at start. OpenCallback's own.");

    b.add("allow-service-removal", "false", OptionType.BOOLEAN,
        "Lets a hot reload remove (or rename) a service that still has active callbacks; they stay"
            + " parked (kept, logged, counted) until a service of that name comes back. false: such a"
            + " reload is refused and the configuration in force stays. OpenCallback's own.");
    b.choice("log-format", "text", List.of("text", "json"),
        "Console log format: text lines, or one JSON object per line. Read at start. OpenCallback's own.");
    b.add("tls-certificate", null, OptionType.STRING,
        "PEM file with the server's certificate chain (its own certificate first): the server's port then"
            + " speaks HTTPS only. Needs tls-private-key; not with tls-keystore. Watched: a changed file is"
            + " reloaded within seconds. Read at start. OpenCallback's own.");
    b.add("tls-private-key", null, OptionType.STRING,
        "PEM file with the unencrypted private key of tls-certificate (PKCS#8 or RSA/EC). Watched like"
            + " the certificate. OpenCallback's own.");
    b.add("tls-keystore", null, OptionType.STRING,
        "PKCS#12 keystore file holding the server's private key and certificate chain, instead of PEM"
            + " files. Watched: a changed file is reloaded. Read at start. OpenCallback's own.");
    b.add("tls-keystore-password", null, OptionType.STRING,
        "Password of tls-keystore and of its key. OpenCallback's own.");
    b.add("tls-redirect-port", "0", OptionType.NON_NEGATIVE_INT,
        "With TLS on: a plain-HTTP port that answers every request with a 308 redirect to the same path"
            + " over HTTPS and serves nothing else. 0: none. Read at start. OpenCallback's own.");
    b.add("log-customer-data", "false", OptionType.BOOLEAN,
        "Whether INFO log lines may show customer data: the customer number in reporting events and the"
            + " message of a refused request (which may quote the number). Off: those lines leave them out"
            + " (the refusal's message is logged at DEBUG); the reporting webhook always gets the full"
            + " event. OpenCallback's own.");

    // ---------------------------------------------------------------- [cluster] (OpenCallback)
    b.in(OptionScope.CLUSTER, "OpenCallback");
    b.add("lease", "15s", OptionType.DURATION,
        "Cluster mode (PostgreSQL): a node whose last heartbeat is older than this is dead, and another"
            + " node takes over its callbacks; a node that stalls longer stops. At least twice the"
            + " heartbeat. Read at start; every node should use the same value. OpenCallback's own.");
    b.add("heartbeat", "3s", OptionType.DURATION,
        "Cluster mode (PostgreSQL): how often a node renews its lease and looks for dead nodes;"
            + " 100ms to half the lease. Read at start. OpenCallback's own.");

    // ---------------------------------------------------------------- [database] (OpenCallback)
    b.in(OptionScope.DATABASE, "OpenCallback");
    b.add("pool-size", "10", OptionType.POSITIVE_INT,
        "Most database connections this node holds at once (HikariCP maximumPoolSize). In cluster mode"
            + " one more connection per node is held open for LISTEN. On SQLite: the readers, beside one"
            + " writer connection. Read at start. OpenCallback's own.");
    b.choice("sqlite-synchronous", "normal", List.of("normal", "full"),
        "SQLite only: normal syncs the file at checkpoints (every commit survives kill -9 of the server,"
            + " as on H2); full syncs at every commit too, so a commit also survives an OS crash or power"
            + " loss, at 10-30 % of create throughput. Read at start. OpenCallback's own.");

    ALL = List.copyOf(b.out);
    Map<OptionScope, Map<String, OptionSpec>> byScope = new EnumMap<>(OptionScope.class);
    for (OptionSpec spec : ALL) {
      byScope.computeIfAbsent(spec.scope(), s -> new LinkedHashMap<>()).put(spec.name(), spec);
    }
    Map<OptionScope, List<OptionSpec>> lists = new EnumMap<>(OptionScope.class);
    for (OptionScope scope : OptionScope.values()) {
      Map<String, OptionSpec> map = byScope.getOrDefault(scope, Map.of());
      byScope.put(scope, Collections.unmodifiableMap(map));
      lists.put(scope, List.copyOf(map.values()));
    }
    BY_SCOPE = Collections.unmodifiableMap(byScope);
    LISTS = Collections.unmodifiableMap(lists);
  }

  private OptionCatalog() {}

  /** The option of that name in that kind of section, if OpenCallback knows it. */
  public static Optional<OptionSpec> find(OptionScope scope, String name) {
    return Optional.ofNullable(BY_SCOPE.get(scope).get(name));
  }

  /** Every known option, in catalogue order (by scope, then by GMS category). */
  public static List<OptionSpec> all() {
    return ALL;
  }

  /** The known options of one kind of section, in catalogue order. */
  public static List<OptionSpec> of(OptionScope scope) {
    return LISTS.get(scope);
  }

  /** Collects the entries; {@link #in} sets the scope and category of those that follow. */
  private static final class Builder {
    private final List<OptionSpec> out = new ArrayList<>();
    private OptionScope scope;
    private String category;

    void in(OptionScope newScope, String newCategory) {
      scope = newScope;
      category = newCategory;
    }

    void add(String name, String defaultValue, OptionType type, String description) {
      OptionStatuses.Status status = OptionStatuses.of(scope, name);
      out.add(new OptionSpec(scope, name, defaultValue, type, NO_VALUES, category, description, status.status(),
          status.reason()));
    }

    void choice(String name, String defaultValue, List<String> allowed, String description) {
      OptionStatuses.Status status = OptionStatuses.of(scope, name);
      out.add(new OptionSpec(scope, name, defaultValue, OptionType.ENUM, allowed, category, description,
          status.status(), status.reason()));
    }
  }
}
