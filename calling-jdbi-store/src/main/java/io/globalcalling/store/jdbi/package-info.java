/**
 * The calling SDK's records, events, campaigns and limit counters in a relational database through
 * JDBI: H2 in a file as the embedded default, PostgreSQL when several application nodes share one
 * database. Open a {@link io.globalcalling.store.jdbi.JdbiCallingDatabase} and take its
 * {@code callStore()} and {@code limitLedger()}.
 *
 * <p>Schema: Flyway migrations under {@code io/globalcalling/store/jdbi/migration/{h2,postgresql}},
 * history in {@code calling_schema_history}, tables {@code calling_call}, {@code calling_call_event},
 * {@code calling_campaign}, {@code calling_campaign_target}, {@code calling_limit_window},
 * {@code calling_spend_period}, {@code calling_spend_hold}, {@code calling_spend_hold_period},
 * {@code calling_alert_mark}, {@code calling_erasure}, {@code calling_provider_erasure} (the calls an erasure
 * asked their providers to delete, until they have), {@code calling_deferred_erasure} (the calls an erasure found
 * still under way, until they are settled) and {@code calling_inbound_message}. JSON
 * columns (metadata, route reasons, event data, target variables, message details) are {@code jsonb} on PostgreSQL and text ({@code VARCHAR}) on H2,
 * whose JSON type would store a bound string as a JSON string literal. Money is an exact
 * {@code NUMERIC(30,10)} amount beside its ISO 4217 currency code; times are
 * {@code TIMESTAMP WITH TIME ZONE}, written in UTC.
 */
@NullMarked
package io.globalcalling.store.jdbi;

import org.jspecify.annotations.NullMarked;
