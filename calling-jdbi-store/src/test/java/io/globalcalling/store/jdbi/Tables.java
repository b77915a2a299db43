package io.globalcalling.store.jdbi;

import org.jdbi.v3.core.Jdbi;

/** Empties every table of the calling schema between tests (the schema history stays). */
final class Tables {

    static final String[] ALL = {"calling_call", "calling_call_event", "calling_campaign", "calling_campaign_target",
            "calling_limit_window", "calling_spend_period", "calling_spend_hold", "calling_spend_hold_period",
            "calling_alert_mark", "calling_erasure", "calling_inbound_message", "calling_suppression", "calling_provider_erasure", "calling_deferred_erasure"};

    private Tables() {
    }

    static void clear(Jdbi jdbi) {
        jdbi.useHandle(h -> {
            for (String table : ALL) h.execute("DELETE FROM " + table);
        });
    }

    static long count(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }
}
