//! Languages: the core speaks message ids with arguments, never sentences.
//!
//! A [`Msg`] is the key of a `messages.json` entry in the extension's
//! `_locales/<lang>/` catalogs (the browser's own format, so the manifest's
//! `__MSG_ext_name__` and the pages share one catalog per language). The
//! pages fetch the catalog of the chosen language, parse it with
//! [`Catalog::parse`] and render a [`Text`] with [`format`], which
//! implements `chrome.i18n`'s substitution: `$name$` placeholders whose
//! `content` holds `$1`…`$9`, and `$$` for a dollar sign.
//!
//! Adding a string: a variant below (its key in snake_case), then the entry
//! in `extension/_locales/en/messages.json` and `zh_CN/messages.json` with
//! the same placeholders (`crates/deskside-core/tests/i18n.rs` checks both).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

macro_rules! messages {
    ($($variant:ident = $key:literal,)*) => {
        /// Every user-visible string, by its `messages.json` key (which is
        /// also its serialised form).
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Msg {
            $($variant,)*
        }

        /// Shown by its key: the variants' own names would ship a second
        /// string per message in every module (issue 23).
        impl std::fmt::Debug for Msg {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        }

        impl Msg {
            /// Every message, in declaration order.
            pub const ALL: &'static [Msg] = &[$(Msg::$variant,)*];

            /// The `messages.json` key.
            pub fn key(self) -> &'static str {
                match self {
                    $(Msg::$variant => $key,)*
                }
            }
        }
    };
}

messages! {
    // The manifest (`__MSG_…__`).
    ExtName = "ext_name",
    ExtDescription = "ext_description",
    // Languages (the options page's choice).
    LangAuto = "lang_auto",
    LangEn = "lang_en",
    LangZhCn = "lang_zh_cn",
    // Kinds of identifier: as a label ("Customer ID: …") and inside a sentence.
    KindEmail = "kind_email",
    KindPhone = "kind_phone",
    KindResidentId = "kind_resident_id",
    KindCreditCode = "kind_credit_code",
    KindCustomerId = "kind_customer_id",
    KindOrderId = "kind_order_id",
    KindAccountId = "kind_account_id",
    KindTicketId = "kind_ticket_id",
    KindEmailLower = "kind_email_lower",
    KindPhoneLower = "kind_phone_lower",
    KindResidentIdLower = "kind_resident_id_lower",
    KindCreditCodeLower = "kind_credit_code_lower",
    KindCustomerIdLower = "kind_customer_id_lower",
    KindOrderIdLower = "kind_order_id_lower",
    KindAccountIdLower = "kind_account_id_lower",
    KindTicketIdLower = "kind_ticket_id_lower",
    // The panel.
    PanelHeading = "panel_heading",
    PanelStarting = "panel_starting",
    PanelStartFailed = "panel_start_failed",
    PanelLookingUp = "panel_looking_up",
    PanelLookingUpLabel = "panel_looking_up_label",
    PanelNotConfigured = "panel_not_configured",
    PanelNoIdentifier = "panel_no_identifier",
    PanelNotFound = "panel_not_found",
    PanelMatchingRecords = "panel_matching_records",
    PanelTryAgain = "panel_try_again",
    PanelOpenSettings = "panel_open_settings",
    PanelRecentOrders = "panel_recent_orders",
    PanelOpenIn = "panel_open_in",
    PanelSource = "panel_source",
    PanelNoName = "panel_no_name",
    PanelSourceError = "panel_source_error",
    PanelFailed = "panel_failed",
    PanelNotThisFrame = "panel_not_this_frame",
    // The content script's frame on the helpdesk page (screen readers, tooltip).
    FrameTitle = "frame_title",
    FrameGripTitle = "frame_grip_title",
    PanelUnexpected = "panel_unexpected",
    PanelNoAnswer = "panel_no_answer",
    PanelNotASite = "panel_not_a_site",
    PanelListPage = "panel_list_page",
    PanelMoveLeft = "panel_move_left",
    PanelMoveRight = "panel_move_right",
    PanelCollapse = "panel_collapse",
    PanelCollapseTitle = "panel_collapse_title",
    PanelShowCustomer = "panel_show_customer",
    TabCustomers = "tab_customers",
    TabNotFound = "tab_not_found",
    TabNoCustomer = "tab_no_customer",
    TabSetUp = "tab_set_up",
    TabError = "tab_error",
    TabNotASite = "tab_not_a_site",
    CmdTogglePanel = "cmd_toggle_panel",
    IdLabel = "id_label",
    ListSeparator = "list_separator",
    DetailEmail = "detail_email",
    DetailPhone = "detail_phone",
    DetailTitle = "detail_title",
    DetailLocation = "detail_location",
    DetailRecord = "detail_record",
    TierPlatinum = "tier_platinum",
    TierGold = "tier_gold",
    TierSilver = "tier_silver",
    TierStandard = "tier_standard",
    // Lookup errors, for the agent.
    ErrConfig = "err_config",
    ErrUnauthorized = "err_unauthorized",
    ErrRateLimitedSecs = "err_rate_limited_secs",
    ErrRateLimited = "err_rate_limited",
    ErrRateLimitedWaiting = "err_rate_limited_waiting",
    ErrServer = "err_server",
    ErrBadResponse = "err_bad_response",
    ErrTimeout = "err_timeout",
    ErrNetwork = "err_network",
    LookupNoApiKey = "lookup_no_api_key",
    LookupNoSecret = "lookup_no_secret",
    LookupNoToken = "lookup_no_token",
    LookupMissingField = "lookup_missing_field",
    LookupHttp404 = "lookup_http_404",
    LookupHtmlAt = "lookup_html_at",
    LookupEnvelopeError = "lookup_envelope_error",
    // A connector definition's problems (the options page, import).
    PanelNearMisses = "panel_near_misses",
    PanelNearMissOne = "panel_near_miss_one",
    OptTest = "opt_test",
    OptNotSavedTest = "opt_not_saved_test",
    OptSample = "opt_sample",
    OptTestRequest = "opt_test_request",
    OptTestAnswer = "opt_test_answer",
    OptTestNoAnswer = "opt_test_no_answer",
    TestBadSample = "test_bad_sample",
    TestFound = "test_found",
    TestNotFound = "test_not_found",
    TestInvalid = "test_invalid",
    TestRunning = "test_running",
    Yes = "yes",
    No = "no",
    OptGeneric = "opt_generic",
    OptDefinition = "opt_definition",
    OptDefinitionHint = "opt_definition_hint",
    OptClientId = "opt_client_id",
    OptClientSecret = "opt_client_secret",
    OptUsername = "opt_username",
    OptPassword = "opt_password",
    OptSecretsHint = "opt_secrets_hint",
    CfgEnterDefinition = "cfg_enter_definition",
    CfgDefinitionProblem = "cfg_definition_problem",
    DefTooBig = "def_too_big",
    DefUnreadable = "def_unreadable",
    DefBadId = "def_bad_id",
    DefBadName = "def_bad_name",
    DefBadHeader = "def_bad_header",
    DefBadRequestPath = "def_bad_request_path",
    DefNoLookups = "def_no_lookups",
    DefUnknownKind = "def_unknown_kind",
    DefRequestCount = "def_request_count",
    DefBadTemplate = "def_bad_template",
    DefBodyOnGet = "def_body_on_get",
    DefValueUnused = "def_value_unused",
    DefBadPath = "def_bad_path",
    DefNoId = "def_no_id",
    DefBadLimits = "def_bad_limits",
    LookupCannotSearchBy = "lookup_cannot_search_by",
    LookupBadRecordId = "lookup_bad_record_id",
    LookupLeftOrigin = "lookup_left_origin",
    LookupInvalidHeader = "lookup_invalid_header",
    LookupInvalidRequest = "lookup_invalid_request",
    LookupRedirected = "lookup_redirected",
    LookupTooLarge = "lookup_too_large",
    LookupHtml = "lookup_html",
    LookupBadJson = "lookup_bad_json",
    LookupNotAList = "lookup_not_a_list",
    LookupUnreadable = "lookup_unreadable",
    LookupNoService = "lookup_no_service",
    LookupBrowser = "lookup_browser",
    // Base URLs.
    UrlEmpty = "url_empty",
    UrlScheme = "url_scheme",
    UrlInsecureRemote = "url_insecure_remote",
    UrlUserInfo = "url_user_info",
    UrlHost = "url_host",
    UrlPort = "url_port",
    UrlQueryOrFragment = "url_query_or_fragment",
    // Site patterns.
    SiteShape = "site_shape",
    SiteScheme = "site_scheme",
    SiteNoPath = "site_no_path",
    SiteEverySite = "site_every_site",
    SiteBadHost = "site_bad_host",
    SitePort = "site_port",
    // Settings validation.
    CfgUnknownConnector = "cfg_unknown_connector",
    CfgKeyHostChanged = "cfg_key_host_changed",
    CfgEnterKey = "cfg_enter_key",
    CfgEnterSecret = "cfg_enter_secret",
    CfgKeySpaces = "cfg_key_spaces",
    CfgBadDomain = "cfg_bad_domain",
    CfgUnknownRegion = "cfg_unknown_region",
    CfgBadPhone = "cfg_bad_phone",
    CfgTooManyPatterns = "cfg_too_many_patterns",
    CfgUnknownIdKind = "cfg_unknown_id_kind",
    CfgLabelTooLong = "cfg_label_too_long",
    CfgUnknownLanguage = "cfg_unknown_language",
    CfgTeamPhonesManaged = "cfg_team_phones_managed",
    // Admin pattern compile errors.
    PatAt = "pat_at",
    PatNothingToRepeat = "pat_nothing_to_repeat",
    PatRepeatsRepetition = "pat_repeats_repetition",
    PatUnclosedRepetition = "pat_unclosed_repetition",
    PatInvalidRepetition = "pat_invalid_repetition",
    PatCountTooHigh = "pat_count_too_high",
    PatMinAboveMax = "pat_min_above_max",
    PatAnchor = "pat_anchor",
    PatOneId = "pat_one_id",
    PatCaseAtStart = "pat_case_at_start",
    PatNameId = "pat_name_id",
    PatGroupSyntax = "pat_group_syntax",
    PatUnclosedGroup = "pat_unclosed_group",
    PatLoneBackslash = "pat_lone_backslash",
    PatEscape = "pat_escape",
    PatUnclosedClass = "pat_unclosed_class",
    PatRangeStart = "pat_range_start",
    PatRangeEnd = "pat_range_end",
    PatRangeOrder = "pat_range_order",
    PatTooLarge = "pat_too_large",
    PatEmpty = "pat_empty",
    PatTooLong = "pat_too_long",
    PatUnmatched = "pat_unmatched",
    PatOnlyEmpty = "pat_only_empty",
    // The options page.
    OptTitle = "opt_title",
    OptIntro = "opt_intro",
    OptLanguage = "opt_language",
    OptCrmConnection = "opt_crm_connection",
    OptType = "opt_type",
    OptDemoCrm = "opt_demo_crm",
    OptNameShown = "opt_name_shown",
    OptNamePlaceholder = "opt_name_placeholder",
    OptBaseUrl = "opt_base_url",
    OptApiKey = "opt_api_key",
    OptKeyPlaceholder = "opt_key_placeholder",
    OptKeySaved = "opt_key_saved",
    OptEnabled = "opt_enabled",
    OptWhere = "opt_where",
    OptSites = "opt_sites",
    OptFinding = "opt_finding",
    OptTeamDomains = "opt_team_domains",
    OptTeamPhones = "opt_team_phones",
    OptNoticedTitle = "opt_noticed_title",
    OptNoticedHint = "opt_noticed_hint",
    OptNoticedEmpty = "opt_noticed_empty",
    OptNoticedCustomers = "opt_noticed_customers",
    OptNoticedCustomersMany = "opt_noticed_customers_many",
    OptNoticedAdd = "opt_noticed_add",
    OptNoticedAdded = "opt_noticed_added",
    OptNoticedAddFailed = "opt_noticed_add_failed",
    OptNoticedDismiss = "opt_noticed_dismiss",
    OptNoticedForget = "opt_noticed_forget",
    OptRegion = "opt_region",
    RegionCn = "region_cn",
    RegionUs = "region_us",
    RegionCa = "region_ca",
    RegionGb = "region_gb",
    RegionDe = "region_de",
    RegionFr = "region_fr",
    RegionJp = "region_jp",
    RegionIn = "region_in",
    RegionSg = "region_sg",
    RegionHk = "region_hk",
    RegionTw = "region_tw",
    RegionAu = "region_au",
    OptOwnIds = "opt_own_ids",
    OptOwnIdsHint = "opt_own_ids_hint",
    OptPatternHint = "opt_pattern_hint",
    OptSyntaxDigit = "opt_syntax_digit",
    OptSyntaxCapital = "opt_syntax_capital",
    OptSyntaxExactly = "opt_syntax_exactly",
    OptSyntaxBetween = "opt_syntax_between",
    OptSyntaxOneOrMore = "opt_syntax_one_or_more",
    OptSyntaxOptional = "opt_syntax_optional",
    OptSyntaxEither = "opt_syntax_either",
    OptSyntaxDot = "opt_syntax_dot",
    OptSyntaxCase = "opt_syntax_case",
    OptSyntaxKeep = "opt_syntax_keep",
    OptExamples = "opt_examples",
    OptWordEdges = "opt_word_edges",
    OptFinds = "opt_finds",
    OptPattern = "opt_pattern",
    OptLabelPlaceholder = "opt_label_placeholder",
    OptPatternPlaceholder = "opt_pattern_placeholder",
    OptRemove = "opt_remove",
    OptAddPattern = "opt_add_pattern",
    OptNoPatterns = "opt_no_patterns",
    OptPanelOpensExpanded = "opt_panel_opens_expanded",
    OptSidePanel = "opt_side_panel",
    OptSave = "opt_save",
    OptErrorKind = "opt_error_kind",
    OptErrorLabel = "opt_error_label",
    OptLoadFailed = "opt_load_failed",
    OptSaving = "opt_saving",
    OptSaved = "opt_saved",
    OptNotSavedPermission = "opt_not_saved_permission",
    OptNotSavedFields = "opt_not_saved_fields",
    OptNotSaved = "opt_not_saved",
    CfgDuplicateConnector = "cfg_duplicate_connector",
    CfgUnknownSource = "cfg_unknown_source",
    CfgUnknownPick = "cfg_unknown_pick",
    PanelRelatedFailed = "panel_related_failed",
    PanelMatchesIn = "panel_matches_in",
    PanelChooseRecord = "panel_choose_record",
    PanelPickedByAgent = "panel_picked_by_agent",
    PanelPickedByRecent = "panel_picked_by_recent",
    PanelPickedByEarliest = "panel_picked_by_earliest",
    PanelChangeRecord = "panel_change_record",
    PanelDeals = "panel_deals",
    PanelTickets = "panel_tickets",
    PanelNotes = "panel_notes",
    PanelFrom = "panel_from",
    DetailLifetimeValue = "detail_lifetime_value",
    FieldName = "field_name",
    FieldCompany = "field_company",
    FieldTier = "field_tier",
    FieldTags = "field_tags",
    FieldCustom = "field_custom",
    OptAddConnector = "opt_add_connector",
    OptRemoveConnector = "opt_remove_connector",
    OptPickPolicy = "opt_pick_policy",
    OptPickAsk = "opt_pick_ask",
    OptPickRecent = "opt_pick_recent",
    OptPickEarliest = "opt_pick_earliest",
    OptFieldSources = "opt_field_sources",
    OptFieldSourcesHelp = "opt_field_sources_help",
    OptAnySource = "opt_any_source",
    OptExportDefinition = "opt_export_definition",
    OptImportDefinition = "opt_import_definition",
    OptImportFailed = "opt_import_failed",
    OptConnectorHeading = "opt_connector_heading",
    DefRelatedUnmapped = "def_related_unmapped",
    OptPlainHttp = "opt_plain_http",
    OptPlainHttpWarning = "opt_plain_http_warning",
    CfgInsecureNotAccepted = "cfg_insecure_not_accepted",
    // Auth kinds of connector definitions: token URLs, refresh and app tokens, signed requests.
    DefBadTokenUrl = "def_bad_token_url",
    DefBadAuthTemplate = "def_bad_auth_template",
    DefSecretUnused = "def_secret_unused",
    DefSignUnsent = "def_sign_unsent",
    DefBadPrefix = "def_bad_prefix",
    DefPlaceNeedsBody = "def_place_needs_body",
    OptRefreshToken = "opt_refresh_token",
    OptAppId = "opt_app_id",
    OptAppSecret = "opt_app_secret",
    OptKeyId = "opt_key_id",
    OptSigningSecret = "opt_signing_secret",
    // Presets' setup values (connector::setup) and fixed request headers.
    SetupRequired = "setup_required",
    SetupInvalid = "setup_invalid",
    SetupNotAChoice = "setup_not_a_choice",
    DefBadSetup = "def_bad_setup",
    DefSetupUnused = "def_setup_unused",
    DefSetupWithoutBaseUrl = "def_setup_without_base_url",
    DefBadBaseUrl = "def_bad_base_url",
    DefBadHelp = "def_bad_help",
    OptBaseUrlOverride = "opt_base_url_override",
    DefSampleMismatch = "def_sample_mismatch",
    DefSampleUnreadable = "def_sample_unreadable",
    OptTestFieldsHeading = "opt_test_fields_heading",
    OptTestField = "opt_test_field",
    OptTestValue = "opt_test_value",
    OptTestPath = "opt_test_path",
    OptMappingHeading = "opt_mapping_heading",
    OptMapList = "opt_map_list",
    OptMapId = "opt_map_id",
    OptMapUrl = "opt_map_url",
    OptMapUpdated = "opt_map_updated",
    // The request layer (issue 21): stale records, waits, the cache and rate settings.
    PanelRefreshing = "panel_refreshing",
    PanelUpdatedAgo = "panel_updated_ago",
    PanelUpdatedJustNow = "panel_updated_just_now",
    PanelRetryingIn = "panel_retrying_in",
    PanelRestarting = "panel_restarting",
    PanelStaleSource = "panel_stale_source",
    OptRequests = "opt_requests",
    OptRequestsHint = "opt_requests_hint",
    OptCacheTtl = "opt_cache_ttl",
    OptAgentsPerKey = "opt_agents_per_key",
    CfgBadCacheTtl = "cfg_bad_cache_ttl",
    CfgBadAgents = "cfg_bad_agents",
    // Identifiers only in a table block (issue 17): the agent picks the customer.
    PanelChooseCustomer = "panel_choose_customer",
    PanelChoosePrompt = "panel_choose_prompt",
    TabChooseCustomer = "tab_choose_customer",
    PanelRelatedBlockFailed = "panel_related_block_failed",
    // Monitoring and the audit trail (issue 21).
    MonRateLimited = "mon_rate_limited",
    MonTimeout = "mon_timeout",
    MonNetwork = "mon_network",
    MonHttpStatus = "mon_http_status",
    BadgeFailing = "badge_failing",
    OptMonitoring = "opt_monitoring",
    OptMonitoringHint = "opt_monitoring_hint",
    OptBadgeThreshold = "opt_badge_threshold",
    CfgBadBadgeThreshold = "cfg_bad_badge_threshold",
    MonLastHour = "mon_last_hour",
    MonLastDay = "mon_last_day",
    MonSummary = "mon_summary",
    MonNoRequests = "mon_no_requests",
    MonChartLabel = "mon_chart_label",
    MonLastErrors = "mon_last_errors",
    MonNoConnectors = "mon_no_connectors",
    OptAudit = "opt_audit",
    OptAuditHint = "opt_audit_hint",
    OptAuditConnector = "opt_audit_connector",
    OptAuditOutcome = "opt_audit_outcome",
    OptAuditOrigin = "opt_audit_origin",
    OptAuditAny = "opt_audit_any",
    OptAuditFound = "opt_audit_found",
    OptAuditNotFound = "opt_audit_not_found",
    OptAuditFailed = "opt_audit_failed",
    OptAuditExport = "opt_audit_export",
    OptAuditRefresh = "opt_audit_refresh",
    OptAuditEmpty = "opt_audit_empty",
    OptAuditTime = "opt_audit_time",
    OptAuditAction = "opt_audit_action",
    OptAuditIdentifier = "opt_audit_identifier",
    OptAuditPage = "opt_audit_page",
    OptAuditFields = "opt_audit_fields",
    OptAuditShown = "opt_audit_shown",
    // Presets (issue 19): labels follow-ups, a key without a permission.
    DefLabelsAfterList = "def_labels_after_list",
    ErrMissingScopes = "err_missing_scopes",
    ErrMissingPermission = "err_missing_permission",
    // Audit forwarding (issue 21).
    CfgBadForwardUrl = "cfg_bad_forward_url",
    OptAuditForward = "opt_audit_forward",
    OptAuditForwardHint = "opt_audit_forward_hint",
    OptForwardStatus = "opt_forward_status",
    OptForwardFailing = "opt_forward_failing",
    // VIP rules and the other direction (CRM pages show helpdesk tickets).
    CfgVipTooMany = "cfg_vip_too_many",
    CfgVipNameRequired = "cfg_vip_name_required",
    CfgVipDuplicateName = "cfg_vip_duplicate_name",
    CfgVipBadCurrency = "cfg_vip_bad_currency",
    CfgVipBadAmount = "cfg_vip_bad_amount",
    CfgVipBadCount = "cfg_vip_bad_count",
    CfgVipNoCondition = "cfg_vip_no_condition",
    CfgVipBadTiers = "cfg_vip_bad_tiers",
    CfgUnknownRole = "cfg_unknown_role",
    PanelVipTitle = "panel_vip_title",
    PanelHelpdeskTickets = "panel_helpdesk_tickets",
    PanelNoTickets = "panel_no_tickets",
    PanelOpenTicket = "panel_open_ticket",
    PanelTicketOpen = "panel_ticket_open",
    OptVip = "opt_vip",
    OptVipHint = "opt_vip_hint",
    OptVipName = "opt_vip_name",
    OptVipTiers = "opt_vip_tiers",
    OptVipMinValue = "opt_vip_min_value",
    OptVipCurrency = "opt_vip_currency",
    OptVipMinOpen = "opt_vip_min_open",
    OptVipMinComplaints = "opt_vip_min_complaints",
    OptVipTag = "opt_vip_tag",
    OptAddVipRule = "opt_add_vip_rule",
    OptMoveUp = "opt_move_up",
    OptCrmPages = "opt_crm_pages",
    OptRole = "opt_role",
    OptRoleCrm = "opt_role_crm",
    OptRoleHelpdesk = "opt_role_helpdesk",
    WriteNoRecord = "write_no_record",
    WriteTooLong = "write_too_long",
    WriteNeedSubject = "write_need_subject",
    WriteNeedText = "write_need_text",
    WriteBadDue = "write_bad_due",
    WriteBadPriority = "write_bad_priority",
    WriteMissingValue = "write_missing_value",
    WriteNotDefined = "write_not_defined",
    WriteBadOp = "write_bad_op",
    WriteVerifyShape = "write_verify_shape",
    WriteDefBadTemplate = "write_def_bad_template",
    WriteDefUnused = "write_def_unused",
    WriteLostStatus = "write_lost_status",
    WriteRefused = "write_refused",
    WriteGaveUp = "write_gave_up",
    WriteUnconfirmed = "write_unconfirmed",
    WriteRetryChecking = "write_retry_checking",
    WriteLostTimeout = "write_lost_timeout",
    WriteLostNetwork = "write_lost_network",
    WriteLostWorker = "write_lost_worker",
    WriteNotOffered = "write_not_offered",
    WriteConnectorGone = "write_connector_gone",
    WbHeading = "wb_heading",
    WbHeadingTo = "wb_heading_to",
    WbLogTicket = "wb_log_ticket",
    WbCreateTask = "wb_create_task",
    WbSubject = "wb_subject",
    WbStatus = "wb_status",
    WbTicketLink = "wb_ticket_link",
    WbYourText = "wb_your_text",
    WbPreview = "wb_preview",
    WbSend = "wb_send",
    WbCancel = "wb_cancel",
    WbTaskSubject = "wb_task_subject",
    WbDue = "wb_due",
    WbOwner = "wb_owner",
    WbPriority = "wb_priority",
    WbNoPriority = "wb_no_priority",
    WbSending = "wb_sending",
    WbChecking = "wb_checking",
    WbDone = "wb_done",
    WbFailed = "wb_failed",
    WbOpen = "wb_open",
    WbRetry = "wb_retry",
    WbNote = "wb_note",
    WbTask = "wb_task",
    WbTo = "wb_to",
    // Profiles, masking, fields, import/export, policy (issue 22, admin side).
    CfgUnknownProfile = "cfg_unknown_profile",
    CfgUnknownField = "cfg_unknown_field",
    CfgDuplicateField = "cfg_duplicate_field",
    CfgNotMaskable = "cfg_not_maskable",
    CfgPasscodeNeeded = "cfg_passcode_needed",
    CfgPasscodeWrong = "cfg_passcode_wrong",
    CfgPasscodeShort = "cfg_passcode_short",
    CfgPasscodeNoSalt = "cfg_passcode_no_salt",
    OptSecretOf = "opt_secret_of",
    OptSecretPasscode = "opt_secret_passcode",
    ImpExpected = "imp_expected",
    ImpText = "imp_text",
    ImpYesNo = "imp_yes_no",
    ImpNumber = "imp_number",
    ImpList = "imp_list",
    ImpObject = "imp_object",
    ImpPair = "imp_pair",
    ImpRequired = "imp_required",
    ImpUnknownKey = "imp_unknown_key",
    ImpNotConfig = "imp_not_config",
    ImpNewerVersion = "imp_newer_version",
    ImpUnreadable = "imp_unreadable",
    ImpNotJson = "imp_not_json",
    OptNav = "opt_nav",
    OptNavConnectors = "opt_nav_connectors",
    OptNavSites = "opt_nav_sites",
    OptNavFinding = "opt_nav_finding",
    OptNavFields = "opt_nav_fields",
    OptNavProfiles = "opt_nav_profiles",
    OptNavMonitoring = "opt_nav_monitoring",
    OptNavImportExport = "opt_nav_import_export",
    OptFieldsHeading = "opt_fields_heading",
    OptFieldsHint = "opt_fields_hint",
    OptFieldColumn = "opt_field_column",
    OptLabelColumn = "opt_label_column",
    OptShownColumn = "opt_shown_column",
    OptMoveDown = "opt_move_down",
    OptAddCustomField = "opt_add_custom_field",
    OptNoFields = "opt_no_fields",
    OptNoProfileFields = "opt_no_profile_fields",
    OptCustomFieldName = "opt_custom_field_name",
    OptCustomField = "opt_custom_field",
    OptProfilesHeading = "opt_profiles_heading",
    OptProfilesHint = "opt_profiles_hint",
    OptProfileAgent = "opt_profile_agent",
    OptProfileTeamLead = "opt_profile_team_lead",
    OptHidden = "opt_hidden",
    OptMasked = "opt_masked",
    OptMaskNumbers = "opt_mask_numbers",
    OptThisBrowser = "opt_this_browser",
    OptPasscode = "opt_passcode",
    OptNewPasscode = "opt_new_passcode",
    OptRemoveLock = "opt_remove_lock",
    OptProfileLocked = "opt_profile_locked",
    OptManaged = "opt_managed",
    OptManagedNote = "opt_managed_note",
    OptImportExportHeading = "opt_import_export_heading",
    OptImportExportHint = "opt_import_export_hint",
    OptIncludeSecrets = "opt_include_secrets",
    OptExportConfig = "opt_export_config",
    OptImportConfig = "opt_import_config",
    OptExported = "opt_exported",
    OptExportedWithSecrets = "opt_exported_with_secrets",
    OptImported = "opt_imported",
    OptImportProblems = "opt_import_problems",
    // The agent's panel: every state with its action, copy, refresh (issue 22).
    PanelNoPermission = "panel_no_permission",
    PanelAllowAccess = "panel_allow_access",
    PanelReconnect = "panel_reconnect",
    PanelCreateIn = "panel_create_in",
    PanelRefresh = "panel_refresh",
    PanelRefreshTitle = "panel_refresh_title",
    PanelCopy = "panel_copy",
    PanelCopyValue = "panel_copy_value",
    PanelCopied = "panel_copied",
    PanelCopyFailed = "panel_copy_failed",
    PanelNoIdentifierHelp = "panel_no_identifier_help",
    PanelNotConfiguredHelp = "panel_not_configured_help",
    PanelNotFoundHelp = "panel_not_found_help",
    PanelSourceAge = "panel_source_age",
    PanelLoadingBlocks = "panel_loading_blocks",
    // Issue 20 (apply priority, side panel writes, adapters' subject/status).
    WritePriorityNoTicket = "write_priority_no_ticket",
    WriteDefNoApply = "write_def_no_apply",
    WbApplyPriority = "wb_apply_priority",
    WbApplyConfirm = "wb_apply_confirm",
    WbConfirm = "wb_confirm",
    // Reliability (relmisc): an orphaned panel, the background's own VIP check.
    PanelUpdated = "panel_updated",
    PanelReloadPage = "panel_reload_page",
    WritePriorityNotVip = "write_priority_not_vip",
    WriteNoRecordType = "write_no_record_type",
    // misc6: the background's VIP check reads only what the panel showed.
    WritePriorityReload = "write_priority_reload",
    RegionEs = "region_es",
    RegionIt = "region_it",
    RegionNl = "region_nl",
    RegionBe = "region_be",
    RegionPl = "region_pl",
    RegionTr = "region_tr",
    RegionRu = "region_ru",
    RegionKr = "region_kr",
    RegionBr = "region_br",
    RegionMx = "region_mx",
    RegionAr = "region_ar",
    RegionZa = "region_za",
    RegionNz = "region_nz",
    RegionAe = "region_ae",
    RegionSa = "region_sa",
    RegionVn = "region_vn",
    RegionTh = "region_th",
    RegionId = "region_id",
    RegionPh = "region_ph",
    RegionMy = "region_my",
    RegionCh = "region_ch",
    RegionAt = "region_at",
    RegionSe = "region_se",
    RegionPt = "region_pt",
    RegionIe = "region_ie",
    // Regions 11: the options page's 22 more regions.
    RegionNg = "region_ng",
    RegionKe = "region_ke",
    RegionEg = "region_eg",
    RegionPk = "region_pk",
    RegionBd = "region_bd",
    RegionLk = "region_lk",
    RegionIl = "region_il",
    RegionQa = "region_qa",
    RegionKw = "region_kw",
    RegionCo = "region_co",
    RegionPe = "region_pe",
    RegionCl = "region_cl",
    RegionGr = "region_gr",
    RegionCz = "region_cz",
    RegionHu = "region_hu",
    RegionRo = "region_ro",
    RegionDk = "region_dk",
    RegionNo = "region_no",
    RegionFi = "region_fi",
    RegionUa = "region_ua",
    RegionMa = "region_ma",
    RegionGh = "region_gh",
    // Regions 18.
    RegionEe = "region_ee",
    RegionLv = "region_lv",
    RegionLt = "region_lt",
    RegionRs = "region_rs",
    RegionHr = "region_hr",
    RegionSi = "region_si",
    RegionSk = "region_sk",
    RegionBg = "region_bg",
    RegionIs = "region_is",
    RegionMt = "region_mt",
    RegionCy = "region_cy",
    RegionLu = "region_lu",
    RegionBa = "region_ba",
    RegionMe = "region_me",
    RegionMk = "region_mk",
    RegionAl = "region_al",
    RegionMd = "region_md",
    RegionBy = "region_by",
    RegionGe = "region_ge",
    RegionAm = "region_am",
    RegionAz = "region_az",
    RegionUy = "region_uy",
    RegionEc = "region_ec",
    RegionBo = "region_bo",
    RegionPy = "region_py",
    RegionCr = "region_cr",
    RegionGt = "region_gt",
    RegionPa = "region_pa",
    RegionSv = "region_sv",
    RegionHn = "region_hn",
    RegionNi = "region_ni",
    RegionVe = "region_ve",
    RegionDo = "region_do",
    RegionJm = "region_jm",
    RegionPr = "region_pr",
    RegionTt = "region_tt",
    RegionJo = "region_jo",
    RegionLb = "region_lb",
    RegionOm = "region_om",
    RegionBh = "region_bh",
    RegionIq = "region_iq",
    RegionTn = "region_tn",
    RegionDz = "region_dz",
    RegionEt = "region_et",
    RegionUg = "region_ug",
    RegionTz = "region_tz",
    RegionRw = "region_rw",
    RegionZm = "region_zm",
    RegionZw = "region_zw",
    RegionCm = "region_cm",
    RegionCi = "region_ci",
    RegionSn = "region_sn",
    RegionMz = "region_mz",
    RegionMu = "region_mu",
    RegionNa = "region_na",
    RegionBw = "region_bw",
    RegionKz = "region_kz",
    RegionUz = "region_uz",
    RegionKg = "region_kg",
    RegionMn = "region_mn",
    RegionKh = "region_kh",
    RegionLa = "region_la",
    RegionNp = "region_np",
    RegionMo = "region_mo",
    // misc7: the shown record's handle refused; one click to refresh and apply priority again.
    WriteRecordNotShown = "write_record_not_shown",
    WbRefreshApply = "wb_refresh_apply",
    TermNew = "term_new",
    TermOpen = "term_open",
    TermPending = "term_pending",
    TermOnHold = "term_on_hold",
    TermSolved = "term_solved",
    TermResolved = "term_resolved",
    TermClosed = "term_closed",
    TermSnoozed = "term_snoozed",
    TermWaitingOnContact = "term_waiting_on_contact",
    TermWaitingOnUs = "term_waiting_on_us",
    TermLow = "term_low",
    TermNormal = "term_normal",
    TermMedium = "term_medium",
    TermHigh = "term_high",
    TermUrgent = "term_urgent",
    TermPriority = "term_priority",
    TermNotPriority = "term_not_priority",
    OptExampleMemberPattern = "opt_example_member_pattern",
    JsonEndsEarly = "json_ends_early",
    JsonSyntax = "json_syntax",
    JsonTooDeep = "json_too_deep",
}

impl Msg {
    /// The message for a `messages.json` key.
    pub fn parse(key: &str) -> Option<Msg> {
        Msg::ALL.iter().copied().find(|m| m.key() == key)
    }
}

// By hand rather than derived: a derived (de)serializer has a match arm per
// message per input format, which the wasm pays for in bytes.
impl Serialize for Msg {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Msg {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Msg, D::Error> {
        let key = String::deserialize(d)?;
        Msg::parse(&key).ok_or_else(|| serde::de::Error::custom(format!("unknown message '{key}'")))
    }
}

/// A message id with its arguments (`$1`, `$2`… in the catalog).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub id: Msg,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Arg>,
}

/// An argument: data shown as it is (a name, a number, an address), or
/// another message rendered in the same language. Serialised as a string
/// or as a [`Text`] object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    Data(String),
    Text(Text),
}

// By hand: serde's untagged deserializer buffers the input in a generic
// form, a lot of code in the wasm for a string-or-object choice.
impl<'de> Deserialize<'de> for Arg {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Arg, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Arg;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a message")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Arg, E> {
                Ok(Arg::Data(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Arg, E> {
                Ok(Arg::Data(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Arg, A::Error> {
                Text::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Arg::Text)
            }
        }
        d.deserialize_any(V)
    }
}

impl Text {
    pub fn new(id: Msg, args: impl IntoIterator<Item = Arg>) -> Text {
        Text { id, args: args.into_iter().collect() }
    }
    pub fn msg(id: Msg) -> Text {
        Text { id, args: Vec::new() }
    }
}

impl From<Msg> for Text {
    fn from(id: Msg) -> Text {
        Text::msg(id)
    }
}

impl From<Msg> for Arg {
    fn from(id: Msg) -> Arg {
        Arg::Text(Text::msg(id))
    }
}

impl From<Text> for Arg {
    fn from(t: Text) -> Arg {
        Arg::Text(t)
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Data(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Data(s.to_string())
    }
}

/// Data shown as it is.
pub fn data(value: impl ToString) -> Arg {
    Arg::Data(value.to_string())
}

/// One `messages.json` entry.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Entry {
    pub message: String,
    /// By name, lower case (`chrome.i18n` names are case-insensitive).
    #[serde(default)]
    pub placeholders: BTreeMap<String, Placeholder>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Placeholder {
    pub content: String,
}

/// A language's `messages.json`, parsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    pub entries: BTreeMap<String, Entry>,
}

impl Catalog {
    pub fn parse(json: &str) -> Result<Catalog, String> {
        let raw: BTreeMap<String, Entry> = serde_json::from_str(json).map_err(|e| format!("messages.json: {e}"))?;
        Ok(Catalog::from_entries(raw))
    }

    fn from_entries(raw: BTreeMap<String, Entry>) -> Catalog {
        let entries = raw
            .into_iter()
            .map(|(k, mut e)| {
                e.placeholders = e.placeholders.into_iter().map(|(n, p)| (n.to_ascii_lowercase(), p)).collect();
                (k, e)
            })
            .collect();
        Catalog { entries }
    }

    pub fn get(&self, id: Msg) -> Option<&Entry> {
        self.entries.get(id.key())
    }
}

/// Renders `text` in the catalog's language. A message missing from the
/// catalog shows as its key (the i18n test keeps that from shipping).
pub fn format(catalog: &Catalog, text: &Text) -> String {
    let args: Vec<String> = text.args.iter().map(|a| format_arg(catalog, a)).collect();
    let Some(entry) = catalog.get(text.id) else { return text.id.key().to_string() };
    let mut out = String::new();
    let m = entry.message.as_str();
    let mut i = 0;
    while let Some(off) = m[i..].find('$') {
        out.push_str(&m[i..i + off]);
        let at = i + off;
        let rest = &m[at + 1..];
        if rest.starts_with('$') {
            out.push('$');
            i = at + 2;
        } else if let Some(d) = rest.chars().next().filter(|c| ('1'..='9').contains(c)) {
            out.push_str(args.get(d as usize - '1' as usize).map_or("", String::as_str));
            i = at + 2;
        } else if let Some(end) = rest.find('$').filter(|&e| e > 0 && rest[..e].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'@')) {
            let name = rest[..end].to_ascii_lowercase();
            match entry.placeholders.get(&name) {
                Some(p) => out.push_str(&substitute(&p.content, &args)),
                None => out.push_str(&m[at..at + end + 2]),
            }
            i = at + end + 2;
        } else {
            out.push('$');
            i = at + 1;
        }
    }
    out.push_str(&m[i..]);
    out
}

/// `$1`…`$9` in a placeholder's content; argument values are inserted as
/// they are (a `$1` in CRM data stays `$1`).
fn substitute(content: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut chars = content.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('$', Some('$')) => {
                chars.next();
                out.push('$');
            }
            ('$', Some(d @ '1'..='9')) => {
                chars.next();
                out.push_str(args.get(d as usize - '1' as usize).map_or("", String::as_str));
            }
            _ => out.push(c),
        }
    }
    out
}

pub fn format_arg(catalog: &Catalog, arg: &Arg) -> String {
    match arg {
        Arg::Data(s) => s.clone(),
        Arg::Text(t) => format(catalog, t),
    }
}

/// The placeholders of a catalog entry: (name, content), sorted.
pub fn placeholders(entry: &Entry) -> Vec<(String, String)> {
    entry.placeholders.iter().map(|(n, p)| (n.clone(), p.content.clone())).collect()
}

/// The admin's choice on the options page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LanguageSetting {
    /// Follow the browser's languages.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh_CN")]
    ZhCn,
}

impl LanguageSetting {
    pub const ALL: [LanguageSetting; 3] = [LanguageSetting::Auto, LanguageSetting::En, LanguageSetting::ZhCn];

    /// The stored name, as in the options form's `<select>`.
    pub fn id(self) -> &'static str {
        match self {
            LanguageSetting::Auto => "auto",
            LanguageSetting::En => "en",
            LanguageSetting::ZhCn => "zh_CN",
        }
    }

    pub fn parse(s: &str) -> Option<LanguageSetting> {
        LanguageSetting::ALL.into_iter().find(|l| l.id() == s)
    }

    pub fn name(self) -> Msg {
        match self {
            LanguageSetting::Auto => Msg::LangAuto,
            LanguageSetting::En => Msg::LangEn,
            LanguageSetting::ZhCn => Msg::LangZhCn,
        }
    }
}

/// A language Deskside ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh_CN")]
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The `_locales/` folder.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh_CN",
        }
    }

    /// The BCP 47 tag, for `<html lang>` and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }
}

/// The language to show: the admin's choice, or with "Auto" the first of
/// the browser's languages (most preferred first, as `navigator.languages`)
/// that Deskside ships. Chinese in Simplified script (`zh`, `zh-CN`,
/// `zh-Hans`, `zh-SG`) counts; Traditional (`zh-TW`, `zh-HK`, `zh-Hant`) does
/// not, since the Simplified text is not what those readers use. English
/// when nothing matches.
pub fn resolve_language(setting: LanguageSetting, browser_languages: &[String]) -> Lang {
    match setting {
        LanguageSetting::En => return Lang::En,
        LanguageSetting::ZhCn => return Lang::ZhCn,
        LanguageSetting::Auto => {}
    }
    for tag in browser_languages {
        let t = tag.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = t.split('-');
        match parts.next() {
            Some("en") => return Lang::En,
            Some("zh") => {
                let rest: Vec<&str> = parts.collect();
                let traditional = rest.iter().any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo"));
                let simplified = rest.iter().any(|p| matches!(*p, "hans"));
                if simplified || !traditional {
                    return Lang::ZhCn;
                }
            }
            _ => {}
        }
    }
    Lang::En
}

/// Fraction digits of a currency's minor unit (ISO 4217): amounts arrive in
/// minor units and the page divides before `Intl` formats them.
pub fn minor_unit_digits(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" | "PYG" | "RWF" | "KMF" | "GNF" | "VUV" | "XPF" | "DJF" | "BIF" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "IQD" | "LYD" | "TND" => 3,
        _ => 2,
    }
}

/// A currency code as `Intl` wants it: upper case, three letters, `RMB`
/// taken as `CNY`; `None` when it is not a code.
pub fn currency_code(raw: &str) -> Option<String> {
    let c = raw.trim().to_ascii_uppercase();
    let c = if c == "RMB" { "CNY".to_string() } else { c };
    (c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())).then_some(c)
}

/// The English catalog, for the core's own tests (the pages fetch theirs).
#[cfg(test)]
pub(crate) fn english(text: &Text) -> String {
    thread_local! {
        static EN: Catalog = Catalog::parse(include_str!("../../../extension/_locales/en/messages.json")).expect("en catalog");
    }
    EN.with(|c| format(c, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(json: &str) -> Catalog {
        Catalog::parse(json).unwrap()
    }

    #[test]
    fn substitutes_like_chrome_i18n() {
        let c = catalog(
            r#"{"panel_not_found": {"message": "No customer with this $KIND$ in $Sources$ ($$5).",
                 "placeholders": {"kind": {"content": "$1"}, "SOURCES": {"content": "$2"}}},
                "kind_email_lower": {"message": "email"}}"#,
        );
        let t = Text::new(Msg::PanelNotFound, [Arg::from(Msg::KindEmailLower), data("Demo $1 CRM")]);
        assert_eq!(format(&c, &t), "No customer with this email in Demo $1 CRM ($5).");
        // Missing: the key shows.
        assert_eq!(format(&c, &Text::msg(Msg::PanelTryAgain)), "panel_try_again");
    }

    #[test]
    fn auto_follows_the_browser() {
        let l = |v: &[&str]| resolve_language(LanguageSetting::Auto, &v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&["zh-CN", "en-US"]), Lang::ZhCn);
        assert_eq!(l(&["zh"]), Lang::ZhCn);
        assert_eq!(l(&["zh-Hans-SG"]), Lang::ZhCn);
        assert_eq!(l(&["de-DE", "zh_CN"]), Lang::ZhCn);
        assert_eq!(l(&["en-GB", "zh-CN"]), Lang::En);
        assert_eq!(l(&["zh-TW", "en"]), Lang::En);
        assert_eq!(l(&["fr"]), Lang::En);
        assert_eq!(l(&[]), Lang::En);
        assert_eq!(resolve_language(LanguageSetting::En, &["zh-CN".into()]), Lang::En);
        assert_eq!(resolve_language(LanguageSetting::ZhCn, &["en".into()]), Lang::ZhCn);
    }

    #[test]
    fn keys_round_trip_through_serde() {
        for m in Msg::ALL {
            assert_eq!(serde_json::to_value(m).unwrap(), serde_json::Value::String(m.key().into()));
            assert_eq!(Msg::parse(m.key()), Some(*m));
        }
        let t = Text::new(Msg::IdLabel, [Arg::from(Msg::KindCustomerId), data("c1")]);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"id":"id_label","args":[{"id":"kind_customer_id"},"c1"]}"#);
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), t);
    }

    #[test]
    fn currencies() {
        assert_eq!(currency_code("rmb").as_deref(), Some("CNY"));
        assert_eq!(currency_code("€"), None);
        assert_eq!(minor_unit_digits("JPY"), 0);
        assert_eq!(minor_unit_digits("CNY"), 2);
    }
}
