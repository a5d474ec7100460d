"""Every component id, defined once: `<page>-<noun>-<kind>`; pattern-matching ids are dicts with a `type`."""

# Wall, "/"
WALL_CLOCK = "wall-clock-text"
WALL_FOLLOWING = "wall-following-store"  # the room the page follows (a Dash callback must have an output to start)
WALL_BADGE = "wall-status-badge"
WALL_AS_OF = "wall-as-of-text"  # the time the figures shown were counted
WALL_TOUR_BAR = "wall-tour-bar"
WALL_LANG_STORE = "wall-lang-store"
WALL_METRIC_DROPDOWN = "wall-metric-dropdown"
WALL_MAP = "wall-map-area"
WALL_MAP_STORE = "wall-map-store"  # the map's shapes and labels (`map_view.map_spec`)
WALL_LEGEND = "wall-legend-panel"
WALL_RANKING = "wall-ranking-list"
WALL_TREND_GRAPH = "wall-trend-graph"
WALL_CATEGORIES = "wall-categories-list"
WALL_CHANNELS = "wall-channels-list"
WALL_NOTICES = "wall-notices-panel"
WALL_KPIS = "wall-kpis-list"
WALL_TICKER = "wall-alerts-ticker"
WALL_TILE_VALUE = "wall-tile-value"  # pattern: {"type": WALL_TILE_VALUE, "key": <figure>}
WALL_ROOT = "wall-page-div"
WALL_FOCUS = "wall-focus-panel"
WALL_FEED = "wall-feed-list"
WALL_SOUND_STORE = "wall-sound-store"  # ids of alerts that may sound
WALL_SOUND_SINK = "wall-sound-div"  # output of the clientside sound callback

# Operations, "/ops"
OPS_LOCATION = "ops-page-location"
OPS_SOCKET = "ops-alerts-socket"
OPS_INTERVAL = "ops-refresh-interval"
OPS_LANG_STORE = "ops-lang-store"
OPS_ASOF = "ops-asof-text"
OPS_STREAM = "ops-stream-table"
OPS_HEARTBEATS = "ops-heartbeats-table"
OPS_INGEST = "ops-ingest-table"
OPS_FEED = "ops-feed-table"
OPS_SCREENS = "ops-screens-section"
OPS_ALERTS = "ops-alerts-table"
OPS_ACK_BTN = "ops-ack-btn"  # pattern: {"type": OPS_ACK_BTN, "alert": <alert id>}
OPS_ACK_RESULT = "ops-ack-text"
OPS_ACK_ALL_BTN = "ops-ackall-btn"  # acknowledges every waiting alert the table shows
OPS_ALERT_REGENCY = "ops-alertregency-dropdown"  # the alerts of one regency only
OPS_DEAD_LETTERS = "ops-deadletters-table"
OPS_DEAD_PICK_BTN = "ops-deadpick-btn"  # pattern: {"type": OPS_DEAD_PICK_BTN, "entry": <stream id>}
OPS_REPLAY_ENTRY = "ops-replay-store"
OPS_REPLAY_TEXT = "ops-replay-textarea"
OPS_REPLAY_LABEL = "ops-replay-label"
OPS_REPLAY_BTN = "ops-replay-btn"
OPS_REPLAY_RESULT = "ops-replay-text"
OPS_NOTICES = "ops-notices-section"
OPS_NOTICE_ACK_BTN = "ops-noticeack-btn"  # pattern: {"type": OPS_NOTICE_ACK_BTN, "escalation": <escalation id>}
OPS_NOTICE_ACK_RESULT = "ops-noticeack-text"

# Shift handover, "/serah-terima"
HANDOVER_SHIFT = "handover-shift-dropdown"
HANDOVER_LANG_STORE = "handover-lang-store"
HANDOVER_DIGEST = "handover-digest-div"
HANDOVER_PRINT_BTN = "handover-print-btn"

# Regency drill-down, "/kabkota/<code>" (history from the SQL archive)
REGENCY_LOCATION = "kabkota-page-location"
REGENCY_RANGE = "kabkota-range-datepicker"
REGENCY_SUMMARY = "kabkota-summary-div"
REGENCY_TREND_GRAPH = "kabkota-trend-graph"
REGENCY_WITHIN_GRAPH = "kabkota-within-graph"
REGENCY_CATEGORIES_GRAPH = "kabkota-categories-graph"
REGENCY_OPD_TABLE = "kabkota-opd-table"
REGENCY_WATCH_TABLE = "kabkota-watch-table"
REGENCY_KPI_GRAPH = "kabkota-kpi-graph"  # pattern: {"type": REGENCY_KPI_GRAPH, "metric": <kpi key>}
REGENCY_PAGE_STORE = "kabkota-page-store"  # {"code", "lang"} of the page
REGENCY_LIVE = "kabkota-live-div"
REGENCY_FOLLOWING = "kabkota-following-store"  # the room the page follows
REGENCY_LIVE_ASOF = "kabkota-asof-text"
REGENCY_KPI_TABLE = "kabkota-kpistanding-table"

# Briefing, "/briefing"
BRIEFING_LOCATION = "briefing-page-location"
BRIEFING_REGENCIES = "briefing-regencies-dropdown"
BRIEFING_PERIOD = "briefing-period-dropdown"
BRIEFING_RANGE = "briefing-range-datepicker"
BRIEFING_SINCE = "briefing-since-datepicker"
BRIEFING_PRINT_BTN = "briefing-print-btn"
VISIT_PRINT_BTN = "kunjungan-print-button"

# "/sekarang", the regencies now
NOW_TABLE = "sekarang-regencies-table"
NOW_INTERVAL = "sekarang-refresh-interval"
NOW_SORT_STORE = "sekarang-sort-store"  # the page's language and sort
NOW_ASOF = "sekarang-asof-text"
