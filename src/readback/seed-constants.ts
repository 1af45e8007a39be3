// Constants of the seed generator (seeds/monitoring_post_incident_readback_plan.py), carried over
// verbatim: the readback plan's parity with the seed depends on every one of these strings.

/** Fields a post-incident readback must carry. */
export const READBACK_FIELDS = [
  "post_incident_readback_candidate_id",
  "source_acceptance_candidate_id",
  "request_id",
  "surface_id",
  "label",
  "expected_scope",
  "config_kind",
  "observability_scope",
  "control_tier",
  "repo_source_path",
  "repo_sha256",
  "source_line_count",
  "write_capable_surface",
  "requires_live_evidence",
  "monitoring_incident_or_change_ref",
  "actor_attribution_ref",
  "change_or_outage_time_window_ref",
  "change_intent_or_break_glass_ref",
  "before_alert_state_ref",
  "after_alert_state_ref",
  "rule_datasource_scrape_state_ref",
  "receiver_route_state_ref",
  "reload_or_no_reload_ref",
  "receiver_receipt_readback_ref",
  "stale_pending_resolved_review_ref",
  "silence_mute_dedup_inhibit_review_ref",
  "dashboard_trace_log_freshness_ref",
  "notification_delivery_metadata_ref",
  "alert_chain_health_readback_ref",
  "cross_project_sync_ref",
  "rollback_or_disable_validation_ref",
  "post_change_monitoring_ref",
  "postcheck_readback_ref",
  "recurrence_guard_ref",
  "maintenance_window",
  "rollback_owner",
  "reviewer_outcome",
  "followup_owner",
  "not_approval"
] as const;

/** Fields the reviewer requires. */
export const REQUIRED_READBACK_FIELDS = [
  "monitoring_incident_or_change_ref",
  "actor_attribution_ref",
  "change_or_outage_time_window_ref",
  "change_intent_or_break_glass_ref",
  "before_alert_state_ref",
  "after_alert_state_ref",
  "rule_datasource_scrape_state_ref",
  "receiver_route_state_ref",
  "reload_or_no_reload_ref",
  "receiver_receipt_readback_ref",
  "stale_pending_resolved_review_ref",
  "silence_mute_dedup_inhibit_review_ref",
  "dashboard_trace_log_freshness_ref",
  "notification_delivery_metadata_ref",
  "alert_chain_health_readback_ref",
  "cross_project_sync_ref",
  "rollback_or_disable_validation_ref",
  "post_change_monitoring_ref",
  "postcheck_readback_ref",
  "recurrence_guard_ref",
  "maintenance_window",
  "rollback_owner",
  "followup_owner",
  "redacted_evidence_refs",
  "no_secret_value_attestation",
  "no_raw_payload_attestation",
  "no_false_green_attestation",
  "receipt_not_route_only_attestation",
  "independent_postcheck_attestation",
  "noise_budget_or_silence_owner_attestation"
] as const;

/** The reviewer's checks, in order. */
export const REVIEWER_CHECKS = [
  {
    "check_id": "source_owner_response_acceptance_current",
    "instruction": "來源 owner response acceptance snapshot 必須是目前版本。"
  },
  {
    "check_id": "incident_or_change_ref_present",
    "instruction": "必須有 incident、change、outage、ticket 或 maintenance ref,不能只寫 dashboard 已恢復。"
  },
  {
    "check_id": "actor_attribution_present",
    "instruction": "必須標示 actor role / team,不接受匿名 reload、silence、rule apply 或 receiver route change。"
  },
  {
    "check_id": "change_or_outage_time_window_present",
    "instruction": "必須有變更 / 異常時間窗,供 alert state、receiver receipt 與跨專案同步對齊。"
  },
  {
    "check_id": "intent_or_break_glass_present",
    "instruction": "正常變更需有 change intent;緊急變更需有 break-glass reason,但 break-glass 不等於事前批准。"
  },
  {
    "check_id": "before_after_alert_state_present",
    "instruction": "必須有 before / after alert state ref,不得只看目前 resolved。"
  },
  {
    "check_id": "rule_datasource_scrape_state_present",
    "instruction": "必須回讀 rule、datasource、scrape、remote write 或 exporter state;不能只看 UI up。"
  },
  {
    "check_id": "receiver_route_state_present",
    "instruction": "必須回讀 receiver route、notification policy、webhook 或 Telegram route state。"
  },
  {
    "check_id": "reload_or_no_reload_called_out",
    "instruction": "需明確標示是否 reload / deploy;若未 reload 也需列原因與風險。"
  },
  {
    "check_id": "receiver_receipt_readback_present",
    "instruction": "必須提供 receiver receipt readback ref;不得用 receiver route 200 取代 receipt。"
  },
  {
    "check_id": "stale_pending_resolved_review_present",
    "instruction": "必須檢查 stale、pending、resolved 未清、資料來源停止更新或 silent failure。"
  },
  {
    "check_id": "silence_mute_dedup_inhibit_review_present",
    "instruction": "必須檢查 silence、mute、dedup、inhibit 或 maintenance rule 是否造成 false green。"
  },
  {
    "check_id": "dashboard_trace_log_freshness_present",
    "instruction": "Grafana / SigNoz / Sentry / Langfuse freshness 必須有 query / trace / log metadata ref。"
  },
  {
    "check_id": "notification_delivery_metadata_present",
    "instruction": "notification delivery 只能收脫敏 metadata ref、message id、hash 或 ticket。"
  },
  {
    "check_id": "alert_chain_health_not_route_only",
    "instruction": "告警鏈路健康不得只用 public route 200、dashboard up、container up、CD success 或 UI 可見判定。"
  },
  {
    "check_id": "cross_project_sync_present",
    "instruction": "若影響 AwoooP、IwoooS、agent-bounty、StockPlatform、公開網站或監控,需有跨專案同步 ref。"
  },
  {
    "check_id": "rollback_or_disable_validation_present",
    "instruction": "必須提供 rollback / disable validation ref,包含 rollback owner 與停損條件。"
  },
  {
    "check_id": "post_change_monitoring_present",
    "instruction": "必須有 post-change monitoring window,觀察 alert state、receipt、error、metrics 與 upstream。"
  },
  {
    "check_id": "postcheck_independent",
    "instruction": "post-check 必須獨立於原操作人、dashboard 卡片與 UI 顯示。"
  },
  {
    "check_id": "recurrence_guard_present",
    "instruction": "必須提出防再發 guard、owner review、change freeze 或 automation block。"
  },
  {
    "check_id": "maintenance_window_present",
    "instruction": "後續任何 reload、deploy、rule apply、silence 或 notification send 都需維護窗口。"
  },
  {
    "check_id": "noise_budget_owner_present",
    "instruction": "測試通知、silence、dedup、inhibit 與 alert noise 必須有 noise budget owner。"
  },
  {
    "check_id": "redacted_refs_only",
    "instruction": "evidence 只能是脫敏 ref、hash、ticket、commit 或 artifact pointer。"
  },
  {
    "check_id": "secret_value_absent",
    "instruction": "不得出現 token、Bot token、DSN secret、webhook secret、cookie、private key、env dump 或 partial secret。"
  },
  {
    "check_id": "raw_payload_absent",
    "instruction": "不得保存 raw alert payload、raw receiver payload、raw config、raw log、未脫敏 screenshot 或完整 notification body。"
  },
  {
    "check_id": "no_false_green",
    "instruction": "不得只用 route 200、dashboard up、container up、receiver reachable、CD success 或 UI 可見當告警鏈路驗收。"
  },
  {
    "check_id": "runtime_stays_zero",
    "instruction": "readback plan 不得觸發 reload、receiver route change、silence、Telegram send、alert fire、alert chain smoke、SSH、kubectl 或 production write。"
  },
  {
    "check_id": "counts_transition_safe",
    "instruction": "只有 reviewer record 能更新 accepted count,且不得同時開 runtime gate。"
  }
] as const;

/** Where a readback can end up. */
export const OUTCOME_LANES = [
  {
    "lane_id": "waiting_post_incident_readback",
    "meaning": "尚未收到監控 / 告警事故回讀包;所有 accepted / runtime count 維持 0。"
  },
  {
    "lane_id": "request_actor_or_time_supplement",
    "meaning": "缺 actor、change / outage time window、intent 或 break-glass reason 時要求補件。"
  },
  {
    "lane_id": "request_alert_state_supplement",
    "meaning": "缺 before / after alert state、rule、datasource、scrape、remote write 或 exporter state 時要求補件。"
  },
  {
    "lane_id": "request_receiver_receipt_supplement",
    "meaning": "缺 receiver route state、receipt proof、delivery metadata 或 notification owner 時要求補件。"
  },
  {
    "lane_id": "request_stale_silence_supplement",
    "meaning": "缺 stale / pending / resolved、silence、mute、dedup、inhibit 或 maintenance rule review 時要求補件。"
  },
  {
    "lane_id": "request_freshness_or_alert_chain_supplement",
    "meaning": "缺 dashboard / trace / log freshness、alert chain health、post-change monitoring 或 rollback validation 時要求補件。"
  },
  {
    "lane_id": "quarantine_raw_payload",
    "meaning": "收到 secret、raw config、raw alert payload、raw receiver payload、未脫敏 log 或截圖時只能隔離。"
  },
  {
    "lane_id": "reject_false_green_claim",
    "meaning": "把 route 200、dashboard up、container up、receiver reachable、CD success 或 UI 可見當驗收時拒收。"
  },
  {
    "lane_id": "ready_for_monitoring_post_incident_review",
    "meaning": "metadata 合格後,只能進 monitoring post-incident reviewer review。"
  },
  {
    "lane_id": "recurrence_guard_backfill_required",
    "meaning": "需補防再發 guard、owner review、change freeze、automation block 或 noise budget owner。"
  },
  {
    "lane_id": "waiting_runtime_gate",
    "meaning": "即使 readback accepted,runtime gate 仍需獨立人工批准。"
  }
] as const;

/** Actions a readback plan never authorizes. */
export const BLOCKED_ACTIONS = [
  "prometheus_reload",
  "alertmanager_reload",
  "grafana_dashboard_apply",
  "signoz_rule_apply",
  "sentry_deploy",
  "langfuse_config_change",
  "otel_collector_reload",
  "receiver_route_change",
  "silence_policy_change",
  "telegram_send",
  "notification_route_change",
  "webhook_receiver_change",
  "remote_write_change",
  "exporter_deploy",
  "live_alert_fire",
  "alert_chain_smoke",
  "ssh_read",
  "ssh_write",
  "kubectl_action",
  "secret_value_collection",
  "host_write",
  "active_scan",
  "production_write",
  "runtime_gate_open",
  "raw_monitoring_payload_storage",
  "accept_secret_value_evidence",
  "mark_owner_response_accepted_without_reviewer_record",
  "mark_route_200_as_alert_chain_healthy",
  "mark_receiver_healthy_without_receipt",
  "accept_silence_without_owner",
  "accept_stale_alert_without_review",
  "accept_reload_without_postcheck",
  "store_raw_alert_payload",
  "add_action_button",
  "store_raw_live_config",
  "store_full_receiver_payload",
  "collect_bot_token",
  "collect_dsn_secret",
  "collect_webhook_secret",
  "change_alert_rule",
  "change_scrape_config",
  "change_dashboard",
  "change_notification_policy",
  "change_silence",
  "change_inhibit_rule",
  "accept_dashboard_up_as_alert_chain_healthy",
  "skip_receiver_receipt",
  "skip_stale_review",
  "skip_silence_review",
  "skip_rollback_validation",
  "skip_post_change_monitoring",
  "skip_cross_project_sync",
  "live_receiver_probe"
] as const;

/** Candidate fields copied from the source candidate: output key -> source key. */
export const CANDIDATE_COPIED_FIELDS = {
  "source_acceptance_candidate_id": "acceptance_candidate_id",
  "request_id": "request_id",
  "surface_id": "surface_id",
  "label": "label",
  "expected_scope": "expected_scope",
  "config_kind": "config_kind",
  "observability_scope": "observability_scope",
  "control_tier": "control_tier",
  "repo_source_path": "repo_source_path",
  "repo_sha256": "repo_sha256",
  "source_line_count": "source_line_count",
  "write_capable_surface": "write_capable_surface",
  "requires_live_evidence": "requires_live_evidence"
} as const;

/** Candidate fields with the same value for every candidate. */
export const CANDIDATE_FIXED_FIELDS = {
  "status": "waiting_post_incident_readback",
  "monitoring_incident_or_change_ref": null,
  "actor_attribution_ref": null,
  "change_or_outage_time_window_ref": null,
  "change_intent_or_break_glass_ref": null,
  "before_alert_state_ref": null,
  "after_alert_state_ref": null,
  "rule_datasource_scrape_state_ref": null,
  "receiver_route_state_ref": null,
  "reload_or_no_reload_ref": null,
  "receiver_receipt_readback_ref": null,
  "stale_pending_resolved_review_ref": null,
  "silence_mute_dedup_inhibit_review_ref": null,
  "dashboard_trace_log_freshness_ref": null,
  "notification_delivery_metadata_ref": null,
  "alert_chain_health_readback_ref": null,
  "cross_project_sync_ref": null,
  "rollback_or_disable_validation_ref": null,
  "post_change_monitoring_ref": null,
  "postcheck_readback_ref": null,
  "recurrence_guard_ref": null,
  "maintenance_window": "pending_post_incident_readback",
  "rollback_owner": "pending_post_incident_readback",
  "reviewer_outcome": "waiting_post_incident_readback",
  "followup_owner": "pending_post_incident_readback",
  "not_approval": true,
  "post_incident_readback_received": false,
  "post_incident_readback_accepted": false,
  "actor_attribution_accepted": false,
  "change_or_outage_time_window_accepted": false,
  "intent_or_break_glass_accepted": false,
  "before_after_alert_state_accepted": false,
  "rule_datasource_scrape_state_accepted": false,
  "receiver_route_state_accepted": false,
  "reload_or_no_reload_accepted": false,
  "receiver_receipt_readback_accepted": false,
  "stale_pending_resolved_review_accepted": false,
  "silence_mute_dedup_inhibit_review_accepted": false,
  "dashboard_trace_log_freshness_accepted": false,
  "notification_delivery_metadata_accepted": false,
  "alert_chain_health_readback_accepted": false,
  "cross_project_sync_accepted": false,
  "rollback_or_disable_validation_accepted": false,
  "post_change_monitoring_accepted": false,
  "postcheck_readback_accepted": false,
  "recurrence_guard_accepted": false,
  "no_false_green_accepted": false,
  "prometheus_reload_authorized": false,
  "alertmanager_reload_authorized": false,
  "grafana_dashboard_apply_authorized": false,
  "signoz_rule_apply_authorized": false,
  "sentry_deploy_authorized": false,
  "langfuse_config_change_authorized": false,
  "otel_collector_reload_authorized": false,
  "receiver_route_change_authorized": false,
  "silence_policy_change_authorized": false,
  "telegram_send_authorized": false,
  "notification_route_change_authorized": false,
  "webhook_receiver_change_authorized": false,
  "remote_write_change_authorized": false,
  "exporter_deploy_authorized": false,
  "live_alert_fire_authorized": false,
  "alert_chain_smoke_authorized": false,
  "ssh_read_authorized": false,
  "ssh_write_authorized": false,
  "kubectl_action_authorized": false,
  "secret_value_collection_allowed": false,
  "host_write_authorized": false,
  "active_scan_authorized": false,
  "production_write_authorized": false,
  "runtime_gate": false,
  "action_buttons_allowed": false
} as const;

/** Summary fields copied from the source summary (default 0): output key -> source key. */
export const SUMMARY_SOURCE_FIELDS = {
  "source_acceptance_candidate_count": "acceptance_candidate_count",
  "source_write_capable_acceptance_candidate_count": "write_capable_acceptance_candidate_count",
  "source_live_evidence_required_candidate_count": "live_evidence_required_candidate_count",
  "source_acceptance_field_count": "acceptance_field_count",
  "source_required_owner_field_count": "required_owner_field_count",
  "source_reviewer_check_count": "reviewer_check_count",
  "source_outcome_lane_count": "outcome_lane_count",
  "source_blocked_action_count": "blocked_action_count",
  "source_owner_response_accepted_count": "owner_response_accepted_count",
  "source_alert_chain_health_accepted_count": "alert_chain_health_accepted_count",
  "source_receiver_receipt_proof_accepted_count": "receiver_receipt_proof_accepted_count",
  "source_runtime_gate_count": "runtime_gate_count"
} as const;

/** Summary fields that do not depend on the source. */
export const SUMMARY_FIXED_FIELDS = {
  "readback_field_count": 39,
  "required_readback_field_count": 30,
  "reviewer_check_count": 28,
  "outcome_lane_count": 11,
  "blocked_action_count": 53,
  "post_incident_readback_received_count": 0,
  "post_incident_readback_accepted_count": 0,
  "actor_attribution_accepted_count": 0,
  "change_or_outage_time_window_accepted_count": 0,
  "intent_or_break_glass_accepted_count": 0,
  "before_after_alert_state_accepted_count": 0,
  "rule_datasource_scrape_state_accepted_count": 0,
  "receiver_route_state_accepted_count": 0,
  "reload_or_no_reload_accepted_count": 0,
  "receiver_receipt_readback_accepted_count": 0,
  "stale_pending_resolved_review_accepted_count": 0,
  "silence_mute_dedup_inhibit_review_accepted_count": 0,
  "dashboard_trace_log_freshness_accepted_count": 0,
  "notification_delivery_metadata_accepted_count": 0,
  "alert_chain_health_readback_accepted_count": 0,
  "cross_project_sync_accepted_count": 0,
  "rollback_or_disable_validation_accepted_count": 0,
  "post_change_monitoring_accepted_count": 0,
  "postcheck_readback_accepted_count": 0,
  "recurrence_guard_accepted_count": 0,
  "no_false_green_accepted_count": 0,
  "prometheus_reload_authorized_count": 0,
  "alertmanager_reload_authorized_count": 0,
  "grafana_dashboard_apply_authorized_count": 0,
  "signoz_rule_apply_authorized_count": 0,
  "sentry_deploy_authorized_count": 0,
  "langfuse_config_change_authorized_count": 0,
  "otel_collector_reload_authorized_count": 0,
  "receiver_route_change_authorized_count": 0,
  "silence_policy_change_authorized_count": 0,
  "telegram_send_authorized_count": 0,
  "notification_route_change_authorized_count": 0,
  "webhook_receiver_change_authorized_count": 0,
  "remote_write_change_authorized_count": 0,
  "exporter_deploy_authorized_count": 0,
  "live_alert_fire_authorized_count": 0,
  "alert_chain_smoke_authorized_count": 0,
  "secret_value_collection_allowed_count": 0,
  "host_write_authorized_count": 0,
  "active_scan_authorized_count": 0,
  "production_write_authorized_count": 0,
  "runtime_gate_count": 0,
  "action_button_count": 0,
  "coverage_percent_after_readback_plan": 70
} as const;

/** Top-level report fields that do not depend on the source. */
export const REPORT_FIXED_FIELDS = {
  "schema_version": "monitoring_post_incident_readback_plan_v1",
  "status": "post_incident_readback_plan_ready_no_runtime_action",
  "execution_boundaries": {
    "not_authorization": true,
    "prometheus_reload_authorized": false,
    "alertmanager_reload_authorized": false,
    "grafana_dashboard_apply_authorized": false,
    "signoz_rule_apply_authorized": false,
    "sentry_deploy_authorized": false,
    "langfuse_config_change_authorized": false,
    "otel_collector_reload_authorized": false,
    "receiver_route_change_authorized": false,
    "silence_policy_change_authorized": false,
    "telegram_send_authorized": false,
    "notification_route_change_authorized": false,
    "webhook_receiver_change_authorized": false,
    "remote_write_change_authorized": false,
    "exporter_deploy_authorized": false,
    "live_alert_fire_authorized": false,
    "alert_chain_smoke_authorized": false,
    "ssh_read_authorized": false,
    "ssh_write_authorized": false,
    "kubectl_action_authorized": false,
    "secret_value_collection_allowed": false,
    "host_write_authorized": false,
    "active_scan_authorized": false,
    "production_write_authorized": false,
    "runtime_gate": false,
    "action_buttons_allowed": false,
    "raw_alert_payload_storage_allowed": false,
    "false_green_acceptance_authorized": false
  },
  "source_paths": [
    "docs/security/MONITORING-ALERTING-OBSERVABILITY-INVENTORY.md",
    "docs/security/monitoring-alerting-observability-inventory.snapshot.json",
    "docs/security/MONITORING-OWNER-REQUEST-DRAFT.md",
    "docs/security/monitoring-owner-request-draft.snapshot.json",
    "docs/security/MONITORING-OWNER-RESPONSE-ACCEPTANCE.md",
    "docs/security/monitoring-owner-response-acceptance.snapshot.json"
  ],
  "mode": "metadata_only_no_live_monitoring_no_reload_no_alert_send",
  "operator_interpretation": [
    "此計畫只定義 Monitoring / Alerting / Observability 事故後回讀欄位,不代表 live monitoring 已讀取或可讀取。",
    "route 200、dashboard up、container up、receiver reachable、CD success、UI 可見都不能單獨當成告警鏈路事故驗收。",
    "未來若要 reload、rule apply、receiver route change、silence、Telegram send、alert fire 或 alert chain smoke,必須另有維護窗口、rollback owner 與人工批准。"
  ]
} as const;
