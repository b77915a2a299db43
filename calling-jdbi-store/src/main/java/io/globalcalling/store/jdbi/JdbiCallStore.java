package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.GeoPoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.Secret;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.CallStats;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.DuplicateCallException;
import io.globalcalling.spi.store.DuplicateCampaignException;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.spi.store.TargetCounts;
import org.jspecify.annotations.Nullable;
import io.globalcalling.store.jdbi.internal.Dialect;
import io.globalcalling.store.jdbi.internal.Json;
import io.globalcalling.store.jdbi.internal.Sql;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A {@link CallStore} on JDBI over H2 or PostgreSQL, shared safely by several application nodes:
 * status changes are conditional updates on a status rank, campaign targets are claimed with
 * {@code FOR UPDATE SKIP LOCKED} on PostgreSQL (one conditional update per row on H2), and campaign
 * counters are incremented in the database. It also purges old data ({@link #purgeExpired()}) and
 * erases a phone number ({@link #erase(String)}). Get one from {@link JdbiCallingDatabase}.
 */
public final class JdbiCallStore implements CallStore {

    private static final Logger log = LoggerFactory.getLogger(JdbiCallStore.class);

    /** The prefix of an erased number's pseudonym, which {@link #erase} writes in its place. */
    private static final String ERASED_PREFIX = "erased:";
    /** Whether a call row's number was erased: then nothing personal is written to it, or to its events, again. */
    private static final String ERASED = "(to_number LIKE '" + ERASED_PREFIX + "%' OR from_number LIKE '"
            + ERASED_PREFIX + "%')";

    private static final String CALL_COLUMNS = "call_id, customer_id, category, provider_id, provider_call_id,"
            + " from_number, to_number, status, status_rank, terminal, purpose, priority, attempt, idempotency_key,"
            + " campaign_id, held_amount, held_currency, estimated_cost_amount, estimated_cost_currency, cost_amount,"
            + " cost_currency, duration_seconds, recording_url, transcript, ai_sentiment, route_reasons, error_reason,"
            + " error_message, needs_reconciliation, limit_bypass, simulated, started_at, answered_at, ended_at, created_at,"
            + " updated_at, metadata, request_fingerprint";

    /** The row of {@code calling_store_secret} that keeps the key of request fingerprints. */
    private static final String FINGERPRINT_KEY = "request_fingerprint";

    /** The most call ids one query of {@link #findByCallIds} binds. */
    private static final int IDS_PER_QUERY = 1000;

    private static final String CLAIMABLE = "((state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= :now))"
            + " OR (state = 'claimed' AND (lease_until IS NULL OR lease_until <= :now)))";

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final StoreSettings settings;
    private final String insertCall;
    private final String insertEvent;
    /** The key of request fingerprints once read; see {@link #requestFingerprintKey()}. */
    private volatile @Nullable Secret fingerprintKey;
    /** Shares one commit among many callers' writes; null when {@link StoreSettings#groupCommit()} is off. */
    private final @Nullable GroupCommitter group;

    JdbiCallStore(Jdbi jdbi, Dialect dialect, StoreSettings settings) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.settings = settings;
        this.insertCall = "INSERT INTO calling_call (" + CALL_COLUMNS + ") VALUES (:callId,"
                + " :customerId, :category, :providerId, :providerCallId, :fromNumber, :toNumber, :status,"
                + " :statusRank, :terminal, :purpose, :priority, :attempt, :idempotencyKey, :campaignId,"
                + " :heldAmount, :heldCurrency, :estimatedAmount, :estimatedCurrency, :costAmount,"
                + " :costCurrency, :durationSeconds, :recordingUrl, :transcript, :aiSentiment, "
                + dialect.json("routeReasons") + ", :errorReason, :errorMessage, :needsReconciliation,"
                + " :limitBypass, :simulated, :startedAt,"
                + " :answeredAt, :endedAt, :createdAt, :updatedAt, " + dialect.json("metadata") + ","
                + " :requestFingerprint)";
        // The unique (call_id, dedup_key) index decides, atomically across nodes, whether the event is new; a replay
        // inserts nothing, and so does not fail a group's batch. A report that comes after its call's number was
        // erased is kept without its details, and under its keyed dedup key, as the erasure left the others. The
        // call's row is read once, with a lock: an erasure that changed it and has not committed is waited for, and
        // its change read, so no report stored meanwhile keeps its details. A call not on record is not erased.
        this.insertEvent = dialect.insertUnlessPresent("calling_call_event",
                "call_id, source, type, status, occurred_at, data, dedup_key",
                ":callId, :source, :type, :status, :at, CASE WHEN c.erased THEN " + dialect.json("noData")
                        + " ELSE " + dialect.json("data") + " END, CASE WHEN c.erased THEN :erasedDedupKey ELSE :dedupKey END",
                "(VALUES (1)) one LEFT JOIN (SELECT " + ERASED + " AS erased FROM calling_call WHERE call_id = :callId"
                        + dialect.lockingRead() + ") c ON TRUE",
                "call_id = :callId AND dedup_key IN (:dedupKey, :erasedDedupKey)");
        this.group = settings.groupCommit() ? new GroupCommitter(jdbi, settings.groupCommitWriters()) : null;
    }

    /**
     * Commits the writes handed to group commit and stops its thread; the database closes next. Not
     * {@link #close()}: the store belongs to its {@link JdbiCallingDatabase}, which outlives a caller's close.
     */
    void stopGroupCommit() {
        if (group != null) group.close();
    }

    /** The group committer, when on (for tests in this package). */
    @Nullable GroupCommitter groupCommitter() {
        return group;
    }

    private <T> T db(String what, HandleCallback<T, RuntimeException> work) {
        return Sql.withHandle(jdbi, what, work);
    }

    private <T> T tx(String what, HandleCallback<T, RuntimeException> work) {
        return Sql.inTransaction(jdbi, what, work);
    }

    /** {@link #tx} for one that locks many calls' rows: run again if the database aborts it (see Sql). */
    private <T> T txOverCalls(String what, HandleCallback<T, RuntimeException> work) {
        return Sql.inTransactionRerunIfAborted(jdbi, what, work);
    }

    // ---- call records ----

    @Override
    public void create(CallRecord r) {
        Objects.requireNonNull(r, "record");
        if (group == null) {
            createAlone(r);
            return;
        }
        // A failed insert fails the batch, so a staged insert that ran needs no count.
        group.submit(r.callId(), staging -> {
            staging.add(GroupCommitter.Phase.INSERT_CALL, insertCall, batch -> bindCall(batch, r));
            return () -> null;
        }, () -> {
            createAlone(r);
            return null;
        });
    }

    private void createAlone(CallRecord r) {
        try {
            jdbi.useHandle(h -> bindCall(h.createUpdate(insertCall), r).execute());
        } catch (JdbiException e) {
            if (!Dialect.isUniqueViolation(e)) throw Sql.failure("create call '" + r.callId() + "'", e);
            throw duplicate(r, e);
        }
    }

    private static <S extends SqlStatement<S>> S bindCall(S statement, CallRecord r) {
        return statement
                .bind("callId", r.callId())
                .bind("customerId", r.customerId())
                .bind("category", r.category().wireName())
                .bind("providerId", r.providerId())
                .bind("providerCallId", r.providerCallId())
                .bind("fromNumber", r.fromNumber())
                .bind("toNumber", r.toNumber())
                .bind("status", r.status().wireName())
                .bind("statusRank", r.status().rank())
                .bind("terminal", r.status().isTerminal())
                .bind("purpose", r.purpose() == null ? null : r.purpose().wireName())
                .bind("priority", r.priority().wireName())
                .bind("attempt", r.attempt())
                .bind("idempotencyKey", r.idempotencyKey())
                .bind("campaignId", r.campaignId())
                .bind("heldAmount", r.heldAmount() == null ? null : r.heldAmount().amount())
                .bind("heldCurrency", currency(r.heldAmount()))
                .bind("estimatedAmount", r.estimatedCost() == null ? null : r.estimatedCost().amount())
                .bind("estimatedCurrency", currency(r.estimatedCost()))
                .bind("costAmount", r.cost() == null ? null : r.cost().amount())
                .bind("costCurrency", currency(r.cost()))
                .bind("durationSeconds", r.durationSeconds())
                .bind("recordingUrl", r.recordingUrl())
                .bind("transcript", r.transcript())
                .bind("aiSentiment", r.aiSentiment())
                .bind("routeReasons", Json.list(r.routeReasons()))
                .bind("errorReason", r.errorReason())
                .bind("errorMessage", r.errorMessage())
                .bind("needsReconciliation", r.needsReconciliation())
                .bind("limitBypass", r.limitBypass())
                .bind("simulated", r.simulated())
                .bind("startedAt", Sql.instant(r.startedAt()))
                .bind("answeredAt", Sql.instant(r.answeredAt()))
                .bind("endedAt", Sql.instant(r.endedAt()))
                .bind("createdAt", Sql.instant(r.createdAt()))
                .bind("updatedAt", Sql.instant(r.updatedAt()))
                .bind("metadata", Json.map(r.metadata()))
                .bind("requestFingerprint", r.requestFingerprint());
    }

    private DuplicateCallException duplicate(CallRecord r, JdbiException cause) {
        if (find(r.callId()).isPresent()) {
            return new DuplicateCallException(r.callId(), "call '" + r.callId() + "' already exists");
        }
        if (r.idempotencyKey() != null) {
            Optional<CallRecord> existing = findByIdempotencyKey(r.customerId(), r.idempotencyKey());
            if (existing.isPresent()) {
                String id = existing.get().callId();
                return new DuplicateCallException(id, "customer '" + r.customerId() + "' already used idempotency key '"
                        + r.idempotencyKey() + "' for call '" + id + "'");
            }
        }
        throw Sql.failure("create call '" + r.callId() + "': it collided with a record that is gone", cause);
    }

    private static String currency(Money m) {
        return m == null ? null : m.currency().getCurrencyCode();
    }

    @Override
    public Optional<CallRecord> find(String callId) {
        Objects.requireNonNull(callId, "callId");
        return db("find a call", h -> find(h, callId));
    }

    private static Optional<CallRecord> find(Handle h, String callId) {
        return h.createQuery("SELECT " + CALL_COLUMNS + " FROM calling_call WHERE call_id = :id")
                .bind("id", callId).map(CALL).findOne();
    }

    /** The calls of {@code ids} on record, in one query: at most {@link #IDS_PER_QUERY} ids. */
    private static List<CallRecord> findAll(Handle h, List<String> ids) {
        return h.createQuery("SELECT " + CALL_COLUMNS + " FROM calling_call WHERE call_id IN (<ids>)")
                .bindList("ids", ids).map(CALL).list();
    }

    @Override
    public List<CallRecord> findByCallIds(Collection<String> callIds) {
        List<String> ids = Objects.requireNonNull(callIds, "callIds").stream().distinct().toList();
        List<CallRecord> found = new ArrayList<>();
        // a query per thousand ids, well below the databases' limits on bound parameters
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
            found.addAll(db("find calls", h -> findAll(h, chunk)));
        }
        return found;
    }

    @Override
    public Optional<CallRecord> findByIdempotencyKey(String customerId, String idempotencyKey) {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return db("find a call", h -> h.createQuery("SELECT " + CALL_COLUMNS + " FROM calling_call"
                        + " WHERE customer_id = :customer AND idempotency_key = :key")
                .bind("customer", customerId).bind("key", idempotencyKey).map(CALL).findOne());
    }

    /**
     * A random secret kept in the database (made by the first node that asks, then read by every node): the same
     * for every node and across restarts, as a fingerprint compared on another node or after a restart needs.
     */
    @Override
    public Optional<Secret> requestFingerprintKey() {
        Secret key = fingerprintKey;
        if (key == null) {
            key = db("read the request fingerprint key", h -> {
                Optional<String> kept = fingerprintKey(h);
                if (kept.isPresent()) return Secret.of(kept.get());
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                try {
                    h.createUpdate(dialect.insertUnlessPresent("calling_store_secret", "name, secret", ":name, :secret",
                                    "name = :name"))
                            .bind("name", FINGERPRINT_KEY).bind("secret", HexFormat.of().formatHex(random)).execute();
                } catch (JdbiException e) {
                    if (!Dialect.isUniqueViolation(e)) throw e;   // another node made it first: read it below
                }
                return Secret.of(fingerprintKey(h).orElseThrow());
            });
            fingerprintKey = key;
        }
        return Optional.of(key);
    }

    private static Optional<String> fingerprintKey(Handle h) {
        return h.createQuery("SELECT secret FROM calling_store_secret WHERE name = :name")
                .bind("name", FINGERPRINT_KEY).mapTo(String.class).findOne();
    }

    @Override
    public Optional<CallRecord> findByProviderCallId(String providerId, String providerCallId) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(providerCallId, "providerCallId");
        return db("find a call", h -> h.createQuery("SELECT " + CALL_COLUMNS + " FROM calling_call"
                        + " WHERE provider_id = :provider AND provider_call_id = :pcid ORDER BY started_at DESC")
                .bind("provider", providerId).bind("pcid", providerCallId).map(CALL).findFirst());
    }

    @Override
    public boolean update(CallUpdate u) {
        Objects.requireNonNull(u, "update");
        if (u.status() == null && !u.hasFields()) return false;
        if (group == null) return updateAlone(u);
        return group.submit(u.callId(), staging -> staged(staging, u), () -> updateAlone(u));
    }

    /** Stages the update in a group: the returned reader says whether the status moved. */
    private static Supplier<Boolean> staged(GroupCommitter.Staging staging, CallUpdate u) {
        if (u.status() == null) {
            FieldUpdate fields = FieldUpdate.of(u);
            staging.add(GroupCommitter.Phase.UPDATE_CALL, fields.sql(), fields::bindTo);
            return () -> false;
        }
        StatusMove move = StatusMove.of(u);
        GroupCommitter.Row moved = staging.add(GroupCommitter.Phase.UPDATE_CALL, move.sql(), move::bindTo);
        if (u.hasFields()) {
            FieldUpdate fields = FieldUpdate.of(u);
            staging.addIf(() -> moved.count() == 0, GroupCommitter.Phase.UPDATE_FIELDS_UNMOVED, fields.sql(),
                    fields::bindTo);
        }
        return () -> moved.count() == 1;
    }

    /**
     * The update, and the record as its UPDATE left it ({@code RETURNING} on PostgreSQL, H2's {@code FINAL TABLE}):
     * one round trip where {@link #update} and {@link #find} took two. A read follows only when the update changed
     * nothing (the call is unknown, or ended with nothing left to take), or when group commit ran it in a group,
     * whose batches return no rows: the group reads all its updates' calls in one query before it commits.
     */
    @Override
    public Updated updateAndFind(CallUpdate u) {
        Objects.requireNonNull(u, "update");
        if (u.status() == null && !u.hasFields()) return new Updated(false, find(u.callId()));
        if (group == null) return updateAloneAndFind(u);
        return group.submit(u.callId(), staging -> stagedAndRead(staging, u), () -> updateAloneAndFind(u));
    }

    /** Stages the update in a group, and the read of its call once the group's batches ran. */
    private static Supplier<Updated> stagedAndRead(GroupCommitter.Staging staging, CallUpdate u) {
        Supplier<Boolean> moved = staged(staging, u);
        Supplier<Optional<CallRecord>> record = staging.readAfter(CALLS_BY_ID, u.callId());
        return () -> new Updated(moved.get(), record.get());
    }

    /** {@link #updateAlone}, each UPDATE returning the row it changed. */
    private Updated updateAloneAndFind(CallUpdate u) {
        return db("update call '" + u.callId() + "'", h -> updateAndFind(h, u));
    }

    private Updated updateAndFind(Handle h, CallUpdate u) {
        if (u.status() != null) {
            StatusMove move = StatusMove.of(u);
            Optional<CallRecord> moved = move.bindTo(h.createQuery(dialect.updateReturning(move.sql(), CALL_COLUMNS)))
                    .map(CALL).findOne();
            if (moved.isPresent()) return new Updated(true, moved);
        }
        if (u.hasFields()) {
            FieldUpdate fields = FieldUpdate.of(u);
            Optional<CallRecord> changed = fields.bindTo(h.createQuery(
                    dialect.updateReturning(fields.sql(), CALL_COLUMNS))).map(CALL).findOne();
            if (changed.isPresent()) return new Updated(false, changed);
        }
        return new Updated(false, find(h, u.callId()));
    }

    /**
     * The update and the event in one transaction, one commit, or in one write of a group. The update runs first: it
     * locks the call's row, which the event's insert then reads with a lock of its own transaction's, where the
     * other order would have two reports of one call each hold the row shared and wait for the other to update it.
     */
    @Override
    public Updated appendEventAndUpdate(StoredEvent e, CallUpdate u) {
        Objects.requireNonNull(e, "event");
        Objects.requireNonNull(u, "update");
        if (!e.callId().equals(u.callId())) {
            throw new IllegalArgumentException("event of call '" + e.callId() + "' and update of call '" + u.callId()
                    + "': one call's, both");
        }
        if (group == null) return appendEventAndUpdateAlone(e, u);
        return group.submit(u.callId(), staging -> {
            Supplier<Updated> updated = stagedAndRead(staging, u);
            staging.add(GroupCommitter.Phase.INSERT_EVENT, insertEvent, batch -> bindEvent(batch, e));
            return updated;
        }, () -> appendEventAndUpdateAlone(e, u));
    }

    private Updated appendEventAndUpdateAlone(StoredEvent e, CallUpdate u) {
        return tx("record a report of call '" + u.callId() + "'", h -> {
            Updated updated = updateAndFind(h, u);
            try {
                bindEvent(h.createUpdate(insertEvent), e).execute();
            } catch (JdbiException ex) {
                // the same report stored meanwhile (H2's insert unless present can race): the statement alone failed
                if (!Dialect.isUniqueViolation(ex)) throw ex;
            }
            return updated;
        });
    }

    /**
     * The status move with the fields in one statement; when the status does not move, the fields alone.
     * No transaction joins the two: once a status cannot move it never can (ranks only rise and a terminal
     * status stays), so the fields then apply as a fields-only update would at that moment.
     */
    private boolean updateAlone(CallUpdate u) {
        String what = "update call '" + u.callId() + "'";
        if (u.status() != null) {
            StatusMove move = StatusMove.of(u);
            if (db(what, h -> move.bindTo(h.createUpdate(move.sql())).execute()) == 1) return true;
        }
        if (u.hasFields()) {
            FieldUpdate fields = FieldUpdate.of(u);
            db(what, h -> fields.bindTo(h.createUpdate(fields.sql())).execute());
        }
        return false;
    }

    /**
     * Moves the status and sets every given field in one conditional UPDATE (one new row version):
     * only while the call has not ended and the new status ranks higher, so every field may take its
     * new value, billed ones included, and the update count says whether the status moved.
     */
    private record StatusMove(String sql, Map<String, Object> params) {

        static StatusMove of(CallUpdate u) {
            Map<String, Object> params = u.hasFields() ? FieldUpdate.columns(u) : new LinkedHashMap<>();
            StringBuilder sql = new StringBuilder("UPDATE calling_call SET ");
            params.keySet().forEach(c -> sql.append(c).append(" = ").append(FieldUpdate.value(c)).append(", "));
            sql.append("status = :status, status_rank = :rank, terminal = :terminal, updated_at = :at")
                    .append(" WHERE call_id = :id AND status_rank < :rank AND terminal = FALSE");
            params.put("status", u.status().wireName());
            params.put("rank", u.status().rank());
            params.put("terminal", u.status().isTerminal());
            params.put("at", Sql.instant(u.at()));
            params.put("id", u.callId());
            return new StatusMove(sql.toString(), params);
        }

        <S extends SqlStatement<S>> S bindTo(S statement) {
            return bindAll(statement, params);
        }
    }

    /**
     * One conditional UPDATE, so that the test of the record's state and the write are one step: a
     * billed column keeps its value once the call is terminal, the cost is taken while it is not or
     * while there is none, and a terminal record that would take nothing is not touched at all.
     */
    private record FieldUpdate(String sql, Map<String, Object> params) {

        /** Columns a terminal call keeps; its cost is taken once, while there is none. */
        private static final Set<String> BILLED = Set.of("provider_id", "provider_call_id", "attempt", "simulated",
                "duration_seconds", "answered_at", "ended_at");
        private static final Set<String> COST = Set.of("cost_amount", "cost_currency");
        /** Columns about the person called, which stay empty once the call's number was erased. */
        private static final Set<String> PERSONAL = Set.of("recording_url", "transcript", "ai_sentiment", "error_message");

        /** The value a column takes: its parameter, or nothing for a personal one of a call whose number was erased. */
        static String value(String column) {
            return PERSONAL.contains(column) ? "CASE WHEN " + ERASED + " THEN NULL ELSE :" + column + " END"
                    : ":" + column;
        }

        /** The update's non-null fields by column: billed ones, the cost, then the rest, always in this order. */
        static Map<String, Object> columns(CallUpdate u) {
            Map<String, Object> columns = new LinkedHashMap<>();
            put(columns, "provider_id", u.providerId());
            put(columns, "provider_call_id", u.providerCallId());
            put(columns, "attempt", u.attempt());
            put(columns, "simulated", u.simulated());
            put(columns, "duration_seconds", u.durationSeconds());
            if (u.answeredAt() != null) columns.put("answered_at", Sql.instant(u.answeredAt()));
            if (u.endedAt() != null) columns.put("ended_at", Sql.instant(u.endedAt()));
            if (u.cost() != null) {
                columns.put("cost_amount", u.cost().amount());
                columns.put("cost_currency", currency(u.cost()));
            }
            put(columns, "recording_url", u.recordingUrl());
            put(columns, "transcript", u.transcript());
            put(columns, "ai_sentiment", u.aiSentiment());
            put(columns, "error_reason", u.errorReason());
            put(columns, "error_message", u.errorMessage());
            put(columns, "needs_reconciliation", u.needsReconciliation());
            return columns;
        }

        static FieldUpdate of(CallUpdate u) {
            Map<String, Object> params = columns(u);
            StringBuilder sql = new StringBuilder("UPDATE calling_call SET ");
            boolean unbilled = false;
            // Every SET expression reads the row as it was, so terminal and cost_amount below are the old values.
            for (String c : params.keySet()) {
                if (BILLED.contains(c)) {
                    sql.append(c).append(" = CASE WHEN terminal THEN ").append(c).append(" ELSE :").append(c).append(" END, ");
                } else if (COST.contains(c)) {
                    sql.append(c).append(" = CASE WHEN terminal = FALSE OR cost_amount IS NULL THEN :").append(c)
                            .append(" ELSE ").append(c).append(" END, ");
                } else {
                    sql.append(c).append(" = ").append(value(c)).append(", ");
                    unbilled = true;
                }
            }
            sql.append("updated_at = :at WHERE call_id = :id");
            if (!unbilled) {
                sql.append(u.cost() != null ? " AND (terminal = FALSE OR cost_amount IS NULL)" : " AND terminal = FALSE");
            }
            params.put("at", Sql.instant(u.at()));
            params.put("id", u.callId());
            return new FieldUpdate(sql.toString(), params);
        }

        <S extends SqlStatement<S>> S bindTo(S statement) {
            return bindAll(statement, params);
        }
    }

    private static <S extends SqlStatement<S>> S bindAll(S statement, Map<String, Object> params) {
        params.forEach((name, value) -> {
            if (value instanceof Argument a) statement.bind(name, a);
            else statement.bind(name, value);
        });
        return statement;
    }

    private static void put(Map<String, Object> fields, String column, Object value) {
        if (value != null) fields.put(column, value);
    }

    @Override
    public List<CallRecord> recent(int limit) {
        return calls("", limit, "started_at DESC, id DESC", Map.of());
    }

    @Override
    public List<CallRecord> findByNumber(String number, int limit) {
        Objects.requireNonNull(number, "number");
        return calls("WHERE to_number = :number OR from_number = :number", limit, "started_at DESC, id DESC",
                Map.of("number", number));
    }

    @Override
    public List<CallRecord> findByStatus(CallStatus status, int limit) {
        Objects.requireNonNull(status, "status");
        return calls("WHERE status = :status", limit, "started_at DESC, id DESC", Map.of("status", status.wireName()));
    }

    @Override
    public List<CallRecord> findByCustomer(String customerId, @Nullable CallStatus status, @Nullable String number,
                                           int limit) {
        Objects.requireNonNull(customerId, "customerId");
        if (limit < 1 || limit > MAX_CUSTOMER_CALLS) {
            throw new IllegalArgumentException("limit " + limit + " must be between 1 and " + MAX_CUSTOMER_CALLS);
        }
        StringBuilder where = new StringBuilder("WHERE customer_id = :customer");
        Map<String, Object> params = new HashMap<>(Map.of("customer", customerId));
        if (status != null) {
            where.append(" AND status = :status");
            params.put("status", status.wireName());
        }
        if (number != null) {
            where.append(" AND (to_number = :number OR from_number = :number)");
            params.put("number", number);
        }
        return calls(where.toString(), limit, "started_at DESC, id DESC", params);
    }

    @Override
    public List<CallRecord> findNeedingReconciliation(@Nullable CallRecord after, int limit) {
        Map<String, Object> params = new LinkedHashMap<>();
        return calls("WHERE needs_reconciliation = TRUE" + after(after, params), limit, "started_at, call_id", params);
    }

    @Override
    public List<CallRecord> findUnendedBefore(Instant cutoff, @Nullable CallRecord after, int limit) {
        Objects.requireNonNull(cutoff, "cutoff");
        // by status (the status index), so that the old ended calls, nearly all of them, are never read
        Map<String, Object> params = new LinkedHashMap<>();
        for (CallStatus s : CallStatus.values()) {
            if (!s.isTerminal()) params.put("s" + params.size(), s.wireName());
        }
        String unended = params.keySet().stream().map(k -> ":" + k).collect(Collectors.joining(", "));
        params.put("cutoff", Sql.instant(cutoff));
        return calls("WHERE status IN (" + unended + ") AND started_at < :cutoff AND needs_reconciliation = FALSE"
                + after(after, params), limit, "started_at, call_id", params);
    }

    @Override
    public List<CallRecord> findStartedSince(Instant since, @Nullable String customerId, @Nullable CallRecord after,
                                             int limit) {
        Objects.requireNonNull(since, "since");
        // a range of the started_at index, or of the customer's (customer_id, started_at, id) one
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("since", Sql.instant(since));
        String where = "WHERE started_at >= :since";
        if (customerId != null) {
            where += " AND customer_id = :customer";
            params.put("customer", customerId);
        }
        return calls(where + after(after, params), limit, "started_at, call_id", params);
    }

    /** The condition for calls after {@code after} in the order by started_at, then call id; none when it is null. */
    private static String after(@Nullable CallRecord after, Map<String, Object> params) {
        if (after == null) return "";
        params.put("afterStarted", Sql.instant(after.startedAt()));
        params.put("afterCall", after.callId());
        // the first clause alone bounds an index scan on started_at
        return " AND started_at >= :afterStarted AND (started_at > :afterStarted OR call_id > :afterCall)";
    }

    private List<CallRecord> calls(String where, int limit, String order, Map<String, Object> params) {
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " must be at least 1");
        return db("list calls", h -> h.createQuery("SELECT " + CALL_COLUMNS + " FROM calling_call " + where
                        + " ORDER BY " + order + " LIMIT :limit")
                .bindMap(params).bind("limit", limit).map(CALL).list());
    }

    private static final RowMapper<CallRecord> CALL = (rs, ctx) -> new CallRecord(
            rs.getString("call_id"),
            rs.getString("customer_id"),
            CallCategory.fromWireName(rs.getString("category")),
            rs.getString("provider_id"),
            rs.getString("provider_call_id"),
            rs.getString("from_number"),
            rs.getString("to_number"),
            CallStatus.fromWireName(rs.getString("status")),
            rs.getString("purpose") == null ? null : Purpose.fromWireName(rs.getString("purpose")),
            Priority.fromWireName(rs.getString("priority")),
            rs.getInt("attempt"),
            rs.getString("idempotency_key"),
            rs.getString("campaign_id"),
            Sql.money(rs, "held_amount", "held_currency"),
            Sql.money(rs, "estimated_cost_amount", "estimated_cost_currency"),
            Sql.money(rs, "cost_amount", "cost_currency"),
            Sql.integer(rs, "duration_seconds"),
            rs.getString("recording_url"),
            rs.getString("transcript"),
            rs.getString("ai_sentiment"),
            Json.readList(rs.getString("route_reasons")),
            rs.getString("error_reason"),
            rs.getString("error_message"),
            rs.getBoolean("needs_reconciliation"),
            rs.getBoolean("limit_bypass"),
            rs.getBoolean("simulated"),
            Sql.instant(rs, "started_at"),
            Sql.instant(rs, "answered_at"),
            Sql.instant(rs, "ended_at"),
            Sql.instant(rs, "created_at"),
            Sql.instant(rs, "updated_at"),
            Json.readMap(rs.getString("metadata")),
            rs.getString("request_fingerprint"));

    /** The calls of a group's updates, read in its transaction: the rows as the group leaves them. */
    private static final GroupCommitter.GroupRead<CallRecord> CALLS_BY_ID = (h, ids) -> findAll(h, ids).stream()
            .collect(Collectors.toMap(CallRecord::callId, r -> r));

    // ---- events ----

    @Override
    public boolean appendEvent(StoredEvent e) {
        Objects.requireNonNull(e, "event");
        if (group == null) return appendEventAlone(e);
        return group.submit(e.callId(), staging -> {
            GroupCommitter.Row added = staging.add(GroupCommitter.Phase.INSERT_EVENT, insertEvent,
                    batch -> bindEvent(batch, e));
            return () -> added.count() == 1;
        }, () -> appendEventAlone(e));
    }

    private boolean appendEventAlone(StoredEvent e) {
        try {
            return jdbi.withHandle(h -> bindEvent(h.createUpdate(insertEvent), e).execute()) == 1;
        } catch (JdbiException ex) {
            if (Dialect.isUniqueViolation(ex)) return false;
            throw Sql.failure("append an event to call '" + e.callId() + "'", ex);
        }
    }

    private <S extends SqlStatement<S>> S bindEvent(S statement, StoredEvent e) {
        String dedupKey = e.dedupKey();
        return statement
                .bind("callId", e.callId())
                .bind("source", e.source())
                .bind("type", e.type())
                .bind("status", e.status() == null ? null : e.status().wireName())
                .bind("at", Sql.instant(e.occurredAt()))
                .bind("data", Json.map(e.data()))
                .bind("noData", "{}")
                .bind("dedupKey", dedupKey)
                .bind("erasedDedupKey", erasedDedupKey(dedupKey));
    }

    /**
     * The dedup key an event of an erased call is kept under: a plain SHA-256 of what the event reported would let
     * whoever reads the table test a guess at it (the number, a transcript), so it is keyed by the erasure key, as the
     * number is. Without a key (no call can be erased then) it is the plain one.
     */
    private String erasedDedupKey(String dedupKey) {
        return settings.erasureKey().isPresent() ? hmac(dedupKey) : dedupKey;
    }

    @Override
    public List<StoredEvent> events(String callId) {
        Objects.requireNonNull(callId, "callId");
        return db("list events", h -> h.createQuery("SELECT " + EVENT_COLUMNS + " FROM calling_call_event"
                        + " WHERE call_id = :id ORDER BY id")
                .bind("id", callId).map(EVENT).list());
    }

    /**
     * One query per {@link #IDS_PER_QUERY} calls, each call's events in the order {@link #events(String)} gives; by
     * call, then id, the order of the (call_id, id) index, so that no other call's events are read.
     */
    @Override
    public Map<String, List<StoredEvent>> events(Collection<String> callIds) {
        Objects.requireNonNull(callIds, "callIds");
        Map<String, List<StoredEvent>> logs = new LinkedHashMap<>();
        for (String callId : callIds) logs.putIfAbsent(Objects.requireNonNull(callId, "callId"), new ArrayList<>());
        List<String> ids = List.copyOf(logs.keySet());
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
            db("list events", h -> h.createQuery("SELECT " + EVENT_COLUMNS + " FROM calling_call_event"
                            + " WHERE call_id IN (<ids>) ORDER BY call_id, id")
                    .bindList("ids", chunk).map(EVENT).list())
                    .forEach(e -> logs.get(e.callId()).add(e));
        }
        return logs;
    }

    private static final String EVENT_COLUMNS = "call_id, source, type, status, occurred_at, data";

    private static final RowMapper<StoredEvent> EVENT = (rs, ctx) -> new StoredEvent(rs.getString("call_id"),
            rs.getString("source"), rs.getString("type"),
            rs.getString("status") == null ? null : CallStatus.fromWireName(rs.getString("status")),
            Sql.instant(rs, "occurred_at"), Json.readMap(rs.getString("data")));

    // ---- inbound messages ----

    @Override
    public boolean appendInbound(InboundMessage m) {
        Objects.requireNonNull(m, "message");
        // The unique (provider_id, provider_message_id) index decides, atomically across nodes, whether it is new.
        String sql = dialect.insertUnlessPresent("calling_inbound_message", "provider_id, from_endpoint, received_at,"
                        + " kind, payload, text, latitude, longitude, accuracy_meters, call_id, provider_call_id,"
                        + " provider_message_id, details",
                ":provider, :from, :at, :kind, :payload, :text, :lat, :lon, :accuracy, :callId, :providerCallId,"
                        + " :providerMessageId, " + dialect.json("details"),
                "provider_id = :provider AND provider_message_id = :providerMessageId");
        Optional<InboundMessage.Position> position = m.position();
        Optional<StoredMessage> stored;
        try {
            // the message's call, when on record, decides whether it is kept; else whether its number was erased
            stored = jdbi.inTransaction(h -> {
                Optional<Boolean> callErased = callErased(h, m);
                if (callErased.orElseGet(() -> fromAnErasedNumber(h, m))) return Optional.<StoredMessage>empty();
                return h.createUpdate(sql)
                        .bind("provider", m.providerId())
                        .bind("from", m.from().value())
                        .bind("at", Sql.instant(m.receivedAt()))
                        .bind("kind", m.kind().wireName())
                        .bind("payload", m.payload().toByteArray())
                        .bind("text", m.text().orElse(null))
                        .bind("lat", position.map(p -> p.point().latitude()).orElse(null))
                        .bind("lon", position.map(p -> p.point().longitude()).orElse(null))
                        .bind("accuracy", position.map(InboundMessage.Position::accuracyMeters).orElse(null))
                        .bind("callId", m.callId().orElse(null))
                        .bind("providerCallId", m.providerCallId().orElse(null))
                        .bind("providerMessageId", m.providerMessageId().orElse(null))
                        .bind("details", Json.map(m.details()))
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).findOne()
                        .map(id -> new StoredMessage(id, callErased.isEmpty()));
            });
        } catch (JdbiException ex) {
            if (Dialect.isUniqueViolation(ex)) return false;
            throw Sql.failure("store an inbound message from provider '" + m.providerId() + "'", ex);
        }
        if (stored.isEmpty()) return false;
        // No lock keeps an erasure of the number from running between the read of its erasures above and the commit:
        // its delete then missed the message, uncommitted. The erasure records the number before that delete, so the
        // record, read again now that the message is committed, is there unless the delete came after the commit.
        return !stored.get().unmatched() || !deletedAsErased(stored.get().id(), m);
    }

    /** A message {@link #appendInbound} stored: its row, and whether it matched no call on record. */
    private record StoredMessage(long id, boolean unmatched) {
    }

    /** Deletes the stored message {@code id} if its number is recorded as erased (see {@link #erase}). */
    private boolean deletedAsErased(long id, InboundMessage m) {
        return settings.erasureKey().isPresent() && db("erase an inbound message from an erased number",
                h -> h.createUpdate("DELETE FROM calling_inbound_message WHERE id = :id AND EXISTS (SELECT 1 FROM"
                                + " calling_erasure WHERE number_hash = :hash)")
                        .bind("id", id).bind("hash", ERASED_PREFIX + hmac(m.from().value())).execute()) == 1;
    }

    /**
     * Whether the call {@code m} names was erased, read in one locked read of its row; empty when {@code m} names no
     * call, or one not on record. A message of an erased call is as personal as the messages the erasure deleted (who
     * sent it, its words, where they were), so it is not kept, nor reported as new. The row's lock is held until the
     * message is stored: an erasure that changed the row and has not committed is waited for.
     */
    private Optional<Boolean> callErased(Handle h, InboundMessage m) {
        // getBoolean, as a call without a caller's number reads NULL (not erased), which a Boolean would take for no row
        return m.callId().flatMap(callId -> h.createQuery("SELECT " + ERASED + " FROM calling_call WHERE call_id = :callId"
                + dialect.lockingRead()).bind("callId", callId).map((rs, ctx) -> rs.getBoolean(1)).findOne());
    }

    /**
     * Whether {@code m}, which matches no call we keep, comes from a number that was erased: keeping it would bring the
     * number back, with what its owner said or where they were, after the erasure removed them. (A message matched
     * to a call placed since is that call's, and kept.) Erased numbers are known by their HMAC under the current key.
     */
    private boolean fromAnErasedNumber(Handle h, InboundMessage m) {
        return settings.erasureKey().isPresent() && h.createQuery("SELECT EXISTS (SELECT 1 FROM calling_erasure"
                        + " WHERE number_hash = :hash)")
                .bind("hash", ERASED_PREFIX + hmac(m.from().value())).mapTo(Boolean.class).one();
    }

    private static final String INBOUND_COLUMNS = "SELECT provider_id, from_endpoint, received_at, kind, payload, text,"
            + " latitude, longitude, accuracy_meters, call_id, provider_call_id, provider_message_id, details"
            + " FROM calling_inbound_message";

    private static final RowMapper<InboundMessage> INBOUND = (rs, ctx) -> {
        InboundMessage.Builder b = InboundMessage.builder(rs.getString("provider_id"),
                        Endpoint.parse(rs.getString("from_endpoint")), InboundMessage.Kind.fromWireName(rs.getString("kind")))
                .receivedAt(Sql.instant(rs, "received_at"))
                .payload(rs.getBytes("payload"))
                .text(rs.getString("text"))
                .callId(rs.getString("call_id"))
                .providerCallId(rs.getString("provider_call_id"))
                .providerMessageId(rs.getString("provider_message_id"))
                .details(Json.readMap(rs.getString("details")));
        double latitude = rs.getDouble("latitude");
        if (!rs.wasNull()) {
            b.position(GeoPoint.of(latitude, rs.getDouble("longitude")), rs.getDouble("accuracy_meters"));
        }
        return b.build();
    };

    @Override
    public List<InboundMessage> findInbound(String from, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " must be at least 1");
        Map<String, Object> params = from == null ? Map.of() : Map.of("from", from);
        return db("list inbound messages", h -> h.createQuery(INBOUND_COLUMNS
                        + (from == null ? "" : " WHERE from_endpoint = :from")
                        + " ORDER BY received_at DESC, id DESC LIMIT :limit")
                .bindMap(params)
                .bind("limit", limit)
                .map(INBOUND)
                .list());
    }

    @Override
    public List<InboundMessage> findInboundForCall(String callId) {
        Objects.requireNonNull(callId, "callId");
        return db("list a call's inbound messages", h -> h.createQuery(INBOUND_COLUMNS + " WHERE call_id = :id ORDER BY id")
                .bind("id", callId)
                .map(INBOUND)
                .list());
    }

    // ---- campaigns ----

    @Override
    public void createCampaign(Campaign c) {
        Objects.requireNonNull(c, "campaign");
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO calling_campaign (campaign_id, customer_id, name, category,"
                            + " script_template, total_numbers, completed_calls, successful_calls, failed_calls,"
                            + " total_cost_amount, total_cost_currency, status, scheduled_at, started_at, completed_at,"
                            + " created_at, policy, status_reason, idempotency_key) VALUES (:id, :customer, :name,"
                            + " :category, :script, :total, :completed, :successful, :failed, :cost, :currency, :status,"
                            + " :scheduledAt, :startedAt, :completedAt, :createdAt, :policy, :reason, :key)")
                    .bind("id", c.campaignId())
                    .bind("customer", c.customerId())
                    .bind("name", c.name())
                    .bind("category", c.category() == null ? null : c.category().wireName())
                    .bind("script", c.scriptTemplate())
                    .bind("total", c.totalNumbers())
                    .bind("completed", c.completedCalls())
                    .bind("successful", c.successfulCalls())
                    .bind("failed", c.failedCalls())
                    .bind("cost", c.totalCost().amount())
                    .bind("currency", currency(c.totalCost()))
                    .bind("status", c.status().wireName())
                    .bind("scheduledAt", Sql.instant(c.scheduledAt()))
                    .bind("startedAt", Sql.instant(c.startedAt()))
                    .bind("completedAt", Sql.instant(c.completedAt()))
                    .bind("createdAt", Sql.instant(c.createdAt()))
                    .bind("policy", c.policy())
                    .bind("reason", c.statusReason())
                    .bind("key", c.idempotencyKey())
                    .execute());
        } catch (JdbiException e) {
            if (!Dialect.isUniqueViolation(e)) {
                throw Sql.failure("create campaign '" + c.campaignId() + "'", e);
            }
            throw duplicate(c, e);
        }
    }

    /** Which unique column a campaign collided on: its id, or its customer's idempotency key. */
    private RuntimeException duplicate(Campaign c, JdbiException cause) {
        if (findCampaign(c.campaignId()).isPresent()) {
            return new IllegalArgumentException("campaign '" + c.campaignId() + "' already exists");
        }
        if (c.idempotencyKey() != null) {
            Optional<String> existing = db("find a campaign by idempotency key", h -> h.createQuery(
                            "SELECT campaign_id FROM calling_campaign WHERE customer_id = :customer AND idempotency_key = :key")
                    .bind("customer", c.customerId()).bind("key", c.idempotencyKey()).mapTo(String.class).findOne());
            if (existing.isPresent()) {
                return new DuplicateCampaignException(existing.get(), "customer '" + c.customerId()
                        + "' already used idempotency key '" + c.idempotencyKey() + "' for campaign '" + existing.get() + "'");
            }
        }
        return Sql.failure("create campaign '" + c.campaignId() + "': it collided with a campaign that is gone", cause);
    }

    @Override
    public Optional<Campaign> findCampaign(String campaignId) {
        Objects.requireNonNull(campaignId, "campaignId");
        return db("find a campaign", h -> h.createQuery("SELECT * FROM calling_campaign WHERE campaign_id = :id")
                .bind("id", campaignId)
                .map(CAMPAIGN)
                .findOne());
    }

    @Override
    public void updateCampaignStatus(String campaignId, Campaign.Status status, Instant startedAt, Instant completedAt) {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(status, "status");
        int changed = db("update campaign '" + campaignId + "'", h -> h.createUpdate("UPDATE calling_campaign"
                        + " SET status = :status, started_at = COALESCE(:startedAt, started_at),"
                        + " completed_at = COALESCE(:completedAt, completed_at) WHERE campaign_id = :id")
                .bind("status", status.wireName())
                .bind("startedAt", Sql.instant(startedAt))
                .bind("completedAt", Sql.instant(completedAt))
                .bind("id", campaignId)
                .execute());
        if (changed == 0) throw new IllegalArgumentException("campaign '" + campaignId + "' is unknown");
    }

    @Override
    public void recordCampaignOutcome(String campaignId, boolean successful, Money cost) {
        Objects.requireNonNull(campaignId, "campaignId");
        // One UPDATE adds to the counters in the database, so concurrent outcomes never lose a count.
        int changed = db("count an outcome of campaign '" + campaignId + "'", h -> {
            Update update = h.createUpdate("UPDATE calling_campaign SET completed_calls = completed_calls + 1,"
                            + " successful_calls = successful_calls + :success, failed_calls = failed_calls + :failure,"
                            + " total_cost_amount = total_cost_amount + :cost WHERE campaign_id = :id"
                            + (cost == null ? "" : " AND total_cost_currency = :currency"))
                    .bind("success", successful ? 1 : 0)
                    .bind("failure", successful ? 0 : 1)
                    .bind("cost", cost == null ? BigDecimal.ZERO : cost.amount())
                    .bind("id", campaignId);
            if (cost != null) update.bind("currency", currency(cost));
            return update.execute();
        });
        if (changed == 0) {
            Campaign c = findCampaign(campaignId)
                    .orElseThrow(() -> new IllegalArgumentException("campaign '" + campaignId + "' is unknown"));
            throw new IllegalArgumentException("cost " + cost + " is not in the currency of campaign '" + campaignId
                    + "' (" + c.totalCost().currency() + ")");
        }
    }

    @Override
    public int addTargets(List<CampaignTarget> targets) {
        Objects.requireNonNull(targets, "targets");
        if (targets.isEmpty()) return 0;
        String insert = dialect.insertUnlessPresent("calling_campaign_target", "campaign_id, target_id, to_number,"
                        + " variables, state, attempts, next_attempt_at, lease_owner, lease_until, last_call_id,"
                        + " last_outcome, time_zone",
                ":campaignId, :targetId, :toNumber, " + dialect.json("variables") + ", :state, :attempts,"
                        + " :nextAttemptAt, :leaseOwner, :leaseUntil, :lastCallId, :lastOutcome, :timeZone",
                "campaign_id = :campaignId AND target_id = :targetId");
        try {
            return tx("add campaign targets", h -> addTargetsInBatch(h, insert, targets));
        } catch (StoreException e) {
            if (!Dialect.isUniqueViolation(e)) throw e;
            // on H2 a racing writer added one of these ids between our check and insert: one by one, skipping it
        }
        return tx("add campaign targets", h -> {
            int added = 0;
            for (CampaignTarget t : targets) {
                // H2 keeps the transaction usable after a failed statement, so a taken id is simply skipped.
                try {
                    added += bindTarget(h.createUpdate(insert), t).execute();
                } catch (JdbiException e) {
                    if (!Dialect.isUniqueViolation(e)) throw e;
                }
            }
            return added;
        });
    }

    /** Binds every column of a target, for one insert or for a batch. */
    private static <S extends SqlStatement<S>> S bindTarget(S u, CampaignTarget t) {
        return u.bind("campaignId", t.campaignId())
                .bind("targetId", t.targetId())
                .bind("toNumber", t.toNumber())
                .bind("variables", Json.map(t.variables()))
                .bind("state", t.state().wireName())
                .bind("attempts", t.attempts())
                .bind("nextAttemptAt", Sql.instant(t.nextAttemptAt()))
                .bind("leaseOwner", t.leaseOwner())
                .bind("leaseUntil", Sql.instant(t.leaseUntil()))
                .bind("lastCallId", t.lastCallId())
                .bind("lastOutcome", t.lastOutcome())
                .bind("timeZone", t.timeZone());
    }

    /** One batched statement for all, skipping ids already present. */
    private int addTargetsInBatch(Handle h, String sql, List<CampaignTarget> targets) {
        PreparedBatch batch = h.prepareBatch(sql);
        for (CampaignTarget t : targets) {
            bindTarget(batch, t).add();
        }
        if (dialect == Dialect.POSTGRESQL) {
            // the rows inserted, as PostgreSQL returns them: a driver that rewrites the batch into one multi-row insert
            // (reWriteBatchedInserts) answers each row SUCCESS_NO_INFO, skipped ones too
            return batch.executePreparedBatch("target_id").mapTo(String.class).list().size();
        }
        int added = 0;
        for (int n : batch.execute()) added += n == java.sql.Statement.SUCCESS_NO_INFO ? 1 : n;
        return added;
    }

    @Override
    public List<CampaignTarget> claimTargets(String campaignId, int max, String owner, Instant now, Instant leaseUntil) {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (max < 1) throw new IllegalArgumentException("max " + max + " must be at least 1");
        return dialect == Dialect.POSTGRESQL
                ? claimSkippingLocked(campaignId, max, owner, now, leaseUntil)
                : claimOneByOne(campaignId, max, owner, now, leaseUntil);
    }

    /** PostgreSQL: one statement locks due rows other workers have not locked, and leases them. */
    private List<CampaignTarget> claimSkippingLocked(String campaignId, int max, String owner, Instant now,
                                                     Instant leaseUntil) {
        // MATERIALIZED: the due rows are picked once; a subquery re-run per row would see our own leases.
        return db("claim targets of campaign '" + campaignId + "'", h -> h.createQuery("WITH due AS MATERIALIZED"
                        + " (SELECT target_id FROM calling_campaign_target WHERE campaign_id = :campaignId AND " + CLAIMABLE
                        + " ORDER BY next_attempt_at NULLS FIRST, seq LIMIT :max FOR UPDATE SKIP LOCKED)"
                        + " UPDATE calling_campaign_target t SET state = 'claimed', lease_owner = :owner,"
                        + " lease_until = :leaseUntil FROM due WHERE t.campaign_id = :campaignId"
                        + " AND t.target_id = due.target_id RETURNING t.*")
                .bind("owner", owner)
                .bind("leaseUntil", Sql.instant(leaseUntil))
                .bind("campaignId", campaignId)
                .bind("now", Sql.instant(now))
                .bind("max", max)
                .map(TARGET)
                .list());
    }

    /**
     * H2: read due candidates, then lease each with an update that re-checks it is still claimable; the
     * row lock makes exactly one of two racing workers win it.
     */
    private List<CampaignTarget> claimOneByOne(String campaignId, int max, String owner, Instant now,
                                               Instant leaseUntil) {
        List<CampaignTarget> claimed = new ArrayList<>();
        while (claimed.size() < max) {
            int wanted = max - claimed.size();
            List<String> candidates = db("find due targets", h -> h.createQuery("SELECT target_id FROM"
                            + " calling_campaign_target WHERE campaign_id = :campaignId AND " + CLAIMABLE
                            + " ORDER BY next_attempt_at NULLS FIRST, seq LIMIT :max")
                    .bind("campaignId", campaignId).bind("now", Sql.instant(now)).bind("max", wanted)
                    .mapTo(String.class).list());
            if (candidates.isEmpty()) break;
            for (String targetId : candidates) {
                tx("claim a target", h -> {
                    int won = h.createUpdate("UPDATE calling_campaign_target SET state = 'claimed', lease_owner = :owner,"
                                    + " lease_until = :leaseUntil WHERE campaign_id = :campaignId AND target_id = :targetId"
                                    + " AND " + CLAIMABLE)
                            .bind("owner", owner).bind("leaseUntil", Sql.instant(leaseUntil))
                            .bind("campaignId", campaignId).bind("targetId", targetId).bind("now", Sql.instant(now))
                            .execute();
                    if (won == 1) claimed.add(target(h, campaignId, targetId));
                    return null;
                });
            }
        }
        return claimed;
    }

    /**
     * Both dialects: the campaign's row is locked for the transaction, so claims with a cap on one campaign
     * take turns across nodes and each counts what the one before it claimed. Lapsed leases first (counted
     * already), then due pending targets while the count stays within {@code maxClaimed}.
     */
    @Override
    public List<CampaignTarget> claimTargets(String campaignId, int max, int maxClaimed, String owner, Instant now,
                                             Instant leaseUntil) {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (max < 1) throw new IllegalArgumentException("max " + max + " must be at least 1");
        if (maxClaimed < 0) throw new IllegalArgumentException("maxClaimed " + maxClaimed + " must not be negative");
        return tx("claim targets of campaign '" + campaignId + "'", h -> {
            h.createQuery("SELECT campaign_id FROM calling_campaign WHERE campaign_id = :c FOR UPDATE")
                    .bind("c", campaignId).mapTo(String.class).findOne();
            int inFlight = h.createQuery("SELECT COUNT(*) FROM calling_campaign_target WHERE campaign_id = :c"
                    + " AND state = 'claimed'").bind("c", campaignId).mapTo(Integer.class).one();
            List<CampaignTarget> claimed = new ArrayList<>(leaseWithin(h, campaignId,
                    "state = 'claimed' AND (lease_until IS NULL OR lease_until <= :now)", max, owner, now, leaseUntil));
            int fresh = Math.min(max - claimed.size(), maxClaimed - inFlight);
            if (fresh > 0) {
                claimed.addAll(leaseWithin(h, campaignId,
                        "state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= :now)", fresh, owner, now,
                        leaseUntil));
            }
            return claimed;
        });
    }

    /**
     * Both dialects: the lapsed leases are found through the (state, lease_until) index, joined to their
     * campaign's row by its key, and each is leased by an update that re-checks it is still lapsed, so exactly
     * one of two racing nodes wins it.
     */
    @Override
    public List<CampaignTarget> claimLapsedTargets(Set<Campaign.Status> campaignStatuses, int max, String owner,
                                                   Instant now, Instant leaseUntil) {
        Objects.requireNonNull(campaignStatuses, "campaignStatuses");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (max < 1) throw new IllegalArgumentException("max " + max + " must be at least 1");
        if (campaignStatuses.isEmpty()) return List.of();
        List<String> statuses = campaignStatuses.stream().map(Campaign.Status::wireName).sorted().toList();
        List<Map.Entry<String, String>> lapsed = db("find lapsed targets", h -> h.createQuery("SELECT t.campaign_id,"
                        + " t.target_id FROM calling_campaign_target t JOIN calling_campaign c"
                        + " ON c.campaign_id = t.campaign_id WHERE t.state = 'claimed' AND t.lease_until <= :now"
                        + " AND c.status IN (<statuses>) ORDER BY t.lease_until LIMIT :max")
                .bindList("statuses", statuses).bind("now", Sql.instant(now)).bind("max", max)
                .map((rs, ctx) -> Map.entry(rs.getString("campaign_id"), rs.getString("target_id"))).list());
        List<CampaignTarget> claimed = new ArrayList<>();
        for (Map.Entry<String, String> target : lapsed) {
            tx("claim a lapsed target", h -> {
                int won = h.createUpdate("UPDATE calling_campaign_target SET lease_owner = :owner,"
                                + " lease_until = :leaseUntil WHERE campaign_id = :c AND target_id = :t"
                                + " AND state = 'claimed' AND lease_until <= :now")
                        .bind("owner", owner).bind("leaseUntil", Sql.instant(leaseUntil)).bind("c", target.getKey())
                        .bind("t", target.getValue()).bind("now", Sql.instant(now)).execute();
                if (won == 1) claimed.add(target(h, target.getKey(), target.getValue()));
                return null;
            });
        }
        return claimed;
    }

    @Override
    public boolean renewLease(String campaignId, String targetId, String owner, int attempts, Instant leaseUntil) {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        // one conditional update: a node that took the target over meanwhile owns the row, and this matches nothing
        return db("renew a target's lease", h -> h.createUpdate("UPDATE calling_campaign_target SET"
                        + " lease_until = :leaseUntil WHERE campaign_id = :c AND target_id = :t AND state = 'claimed'"
                        + " AND lease_owner = :owner AND attempts = :attempts")
                .bind("leaseUntil", Sql.instant(leaseUntil)).bind("c", campaignId).bind("t", targetId)
                .bind("owner", owner).bind("attempts", attempts).execute()) == 1;
    }

    private static List<CampaignTarget> leaseWithin(Handle h, String campaignId, String which, int max, String owner,
                                                    Instant now, Instant leaseUntil) {
        List<String> ids = h.createQuery("SELECT target_id FROM calling_campaign_target WHERE campaign_id = :c AND "
                        + which + " ORDER BY next_attempt_at NULLS FIRST, seq LIMIT :max")
                .bind("c", campaignId).bind("now", Sql.instant(now)).bind("max", max).mapTo(String.class).list();
        List<CampaignTarget> leased = new ArrayList<>();
        for (String targetId : ids) {
            int won = h.createUpdate("UPDATE calling_campaign_target SET state = 'claimed', lease_owner = :owner,"
                            + " lease_until = :leaseUntil WHERE campaign_id = :c AND target_id = :t AND " + which)
                    .bind("owner", owner).bind("leaseUntil", Sql.instant(leaseUntil)).bind("c", campaignId)
                    .bind("t", targetId).bind("now", Sql.instant(now)).execute();
            if (won == 1) leased.add(target(h, campaignId, targetId));
        }
        return leased;
    }

    private static CampaignTarget target(Handle h, String campaignId, String targetId) {
        return h.createQuery("SELECT * FROM calling_campaign_target WHERE campaign_id = :c AND target_id = :t")
                .bind("c", campaignId).bind("t", targetId).map(TARGET).one();
    }

    @Override
    public void updateTarget(CampaignTarget t) {
        Objects.requireNonNull(t, "target");
        int changed = db("update a target", h -> h.createUpdate("UPDATE calling_campaign_target SET state = :state,"
                        + " attempts = :attempts, next_attempt_at = :nextAttemptAt, lease_owner = :leaseOwner,"
                        + " lease_until = :leaseUntil, last_call_id = :lastCallId, last_outcome = :lastOutcome"
                        + " WHERE campaign_id = :campaignId AND target_id = :targetId")
                .bind("state", t.state().wireName())
                .bind("attempts", t.attempts())
                .bind("nextAttemptAt", Sql.instant(t.nextAttemptAt()))
                .bind("leaseOwner", t.leaseOwner())
                .bind("leaseUntil", Sql.instant(t.leaseUntil()))
                .bind("lastCallId", t.lastCallId())
                .bind("lastOutcome", t.lastOutcome())
                .bind("campaignId", t.campaignId())
                .bind("targetId", t.targetId())
                .execute());
        if (changed == 0) {
            throw new IllegalArgumentException("target '" + t.targetId() + "' of campaign '" + t.campaignId()
                    + "' is unknown");
        }
    }

    @Override
    public List<CampaignTarget> targets(String campaignId) {
        Objects.requireNonNull(campaignId, "campaignId");
        return db("list targets", h -> h.createQuery("SELECT * FROM calling_campaign_target WHERE campaign_id = :c"
                + " ORDER BY seq").bind("c", campaignId).map(TARGET).list());
    }

    private static final RowMapper<CampaignTarget> TARGET = (rs, ctx) -> new CampaignTarget(
            rs.getString("campaign_id"),
            rs.getString("target_id"),
            rs.getString("to_number"),
            Json.readMap(rs.getString("variables")),
            CampaignTarget.State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
            rs.getInt("attempts"),
            Sql.instant(rs, "next_attempt_at"),
            rs.getString("lease_owner"),
            Sql.instant(rs, "lease_until"),
            rs.getString("last_call_id"),
            rs.getString("last_outcome"),
            rs.getString("time_zone"));

    private static final RowMapper<Campaign> CAMPAIGN = (rs, ctx) -> new Campaign(rs.getString("campaign_id"),
            rs.getString("customer_id"), rs.getString("name"),
            rs.getString("category") == null ? null : CallCategory.fromWireName(rs.getString("category")),
            rs.getString("script_template"), rs.getInt("total_numbers"), rs.getInt("completed_calls"),
            rs.getInt("successful_calls"), rs.getInt("failed_calls"),
            Sql.money(rs, "total_cost_amount", "total_cost_currency"),
            Campaign.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
            Sql.instant(rs, "scheduled_at"), Sql.instant(rs, "started_at"),
            Sql.instant(rs, "completed_at"), Sql.instant(rs, "created_at"), rs.getString("policy"),
            rs.getString("status_reason"), rs.getString("idempotency_key"));

    @Override
    public Optional<CampaignTarget> findTarget(String campaignId, String targetId) {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(targetId, "targetId");
        return db("find a target", h -> h.createQuery("SELECT * FROM calling_campaign_target WHERE campaign_id = :c"
                + " AND target_id = :t").bind("c", campaignId).bind("t", targetId).map(TARGET).findOne());
    }

    @Override
    public List<Campaign> findCampaigns(Campaign.Status status, @Nullable Campaign after, int limit) {
        Objects.requireNonNull(status, "status");
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " must be at least 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (after != null) {
            params.put("afterCreated", Sql.instant(after.createdAt()));
            params.put("afterCampaign", after.campaignId());
        }
        // the first clause alone bounds an index scan on created_at
        String where = after == null ? ""
                : " AND created_at >= :afterCreated AND (created_at > :afterCreated OR campaign_id > :afterCampaign)";
        return db("list campaigns", h -> h.createQuery("SELECT * FROM calling_campaign WHERE status = :status" + where
                        + " ORDER BY created_at, campaign_id LIMIT :limit")
                .bindMap(params).bind("status", status.wireName()).bind("limit", limit).map(CAMPAIGN).list());
    }

    @Override
    public List<Campaign> findDueCampaigns(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " must be at least 1");
        return db("list due campaigns", h -> h.createQuery("SELECT * FROM calling_campaign WHERE status = :status"
                        + " AND scheduled_at <= :now ORDER BY scheduled_at, created_at, campaign_id LIMIT :limit")
                .bind("status", Campaign.Status.SCHEDULED.wireName()).bind("now", Sql.instant(now))
                .bind("limit", limit).map(CAMPAIGN).list());
    }

    @Override
    public List<Campaign> findCampaignsByCustomer(@Nullable String customerId, int limit) {
        if (limit < 1 || limit > MAX_CUSTOMER_CAMPAIGNS) {
            throw new IllegalArgumentException("limit " + limit + " must be between 1 and " + MAX_CUSTOMER_CAMPAIGNS);
        }
        String where = customerId == null ? "" : " WHERE customer_id = :customer";
        Map<String, Object> params = customerId == null ? Map.of() : Map.of("customer", customerId);
        return db("list campaigns", h -> h.createQuery("SELECT * FROM calling_campaign" + where
                        + " ORDER BY created_at DESC, campaign_id DESC LIMIT :limit")
                .bindMap(params).bind("limit", limit).map(CAMPAIGN).list());
    }

    @Override
    public boolean changeCampaignStatus(String campaignId, Set<Campaign.Status> from, Campaign.Status to,
                                        @Nullable String reason, @Nullable Instant startedAt,
                                        @Nullable Instant completedAt) {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(to, "to");
        if (from.isEmpty()) throw new IllegalArgumentException("from must name at least one status");
        int changed = db("change the status of campaign '" + campaignId + "'", h -> h.createUpdate(
                        "UPDATE calling_campaign SET status = :to, status_reason = :reason,"
                                + " started_at = COALESCE(:startedAt, started_at),"
                                + " completed_at = COALESCE(:completedAt, completed_at)"
                                + " WHERE campaign_id = :id AND status IN (<from>)")
                .bind("to", to.wireName())
                .bind("reason", reason)
                .bind("startedAt", Sql.instant(startedAt))
                .bind("completedAt", Sql.instant(completedAt))
                .bind("id", campaignId)
                .bindList("from", from.stream().map(Campaign.Status::wireName).toList())
                .execute());
        if (changed == 0 && findCampaign(campaignId).isEmpty()) {
            throw new IllegalArgumentException("campaign '" + campaignId + "' is unknown");
        }
        return changed == 1;
    }

    @Override
    public void setCampaignTotal(String campaignId, int totalNumbers) {
        Objects.requireNonNull(campaignId, "campaignId");
        int changed = db("set the total of campaign '" + campaignId + "'", h -> h.createUpdate(
                        "UPDATE calling_campaign SET total_numbers = :total WHERE campaign_id = :id")
                .bind("total", totalNumbers).bind("id", campaignId).execute());
        if (changed == 0) throw new IllegalArgumentException("campaign '" + campaignId + "' is unknown");
    }

    @Override
    public void setCampaignBudgetNeed(String campaignId, @Nullable Money hold) {
        Objects.requireNonNull(campaignId, "campaignId");
        int changed = db("keep the budget need of campaign '" + campaignId + "'", h -> h.createUpdate(
                        "UPDATE calling_campaign SET budget_need_amount = :amount, budget_need_currency = :currency"
                                + " WHERE campaign_id = :id")
                .bind("amount", hold == null ? null : hold.amount())
                .bind("currency", currency(hold))
                .bind("id", campaignId).execute());
        if (changed == 0) throw new IllegalArgumentException("campaign '" + campaignId + "' is unknown");
    }

    @Override
    public Optional<Money> findCampaignBudgetNeed(String campaignId) {
        Objects.requireNonNull(campaignId, "campaignId");
        return db("read the budget need of campaign '" + campaignId + "'", h -> h.createQuery(
                        "SELECT budget_need_amount, budget_need_currency FROM calling_campaign WHERE campaign_id = :id")
                .bind("id", campaignId)
                .map((rs, ctx) -> Optional.ofNullable(Sql.money(rs, "budget_need_amount", "budget_need_currency")))
                .findOne().flatMap(need -> need));
    }

    private static final String TARGET_CHANGES = "UPDATE calling_campaign_target SET state = :state,"
            + " attempts = :attempts, next_attempt_at = :nextAttemptAt, lease_owner = :leaseOwner,"
            + " lease_until = :leaseUntil, last_call_id = :lastCallId, last_outcome = :lastOutcome"
            + " WHERE campaign_id = :campaignId AND target_id = :targetId";

    private static Update bindChanges(Update u, CampaignTarget t) {
        return u.bind("state", t.state().wireName())
                .bind("attempts", t.attempts())
                .bind("nextAttemptAt", Sql.instant(t.nextAttemptAt()))
                .bind("leaseOwner", t.leaseOwner())
                .bind("leaseUntil", Sql.instant(t.leaseUntil()))
                .bind("lastCallId", t.lastCallId())
                .bind("lastOutcome", t.lastOutcome())
                .bind("campaignId", t.campaignId())
                .bind("targetId", t.targetId());
    }

    @Override
    public boolean updateTargetIf(CampaignTarget t, CampaignTarget.State expectedState, int expectedAttempts) {
        Objects.requireNonNull(t, "target");
        Objects.requireNonNull(expectedState, "expectedState");
        return db("update a target", h -> bindChanges(h.createUpdate(TARGET_CHANGES
                        + " AND state = :expectedState AND attempts = :expectedAttempts"), t)
                .bind("expectedState", expectedState.wireName())
                .bind("expectedAttempts", expectedAttempts)
                .execute()) == 1;
    }

    @Override
    public boolean finishTarget(CampaignTarget t, int expectedAttempts, boolean counted, boolean successful,
                                @Nullable Money cost) {
        Objects.requireNonNull(t, "target");
        if (!t.isFinished()) throw new IllegalArgumentException("state " + t.state() + " does not finish a target");
        // the target's conditional update and the counters commit together, so an outcome is counted once
        return tx("finish a target", h -> {
            int won = bindChanges(h.createUpdate(TARGET_CHANGES
                            + " AND state IN ('pending', 'claimed') AND attempts = :expectedAttempts"), t)
                    .bind("expectedAttempts", expectedAttempts)
                    .execute();
            if (won == 0) return false;
            if (counted || cost != null) {
                int finished = counted ? 1 : 0;
                Update counters = h.createUpdate("UPDATE calling_campaign SET completed_calls = completed_calls + :finished,"
                                + " successful_calls = successful_calls + :success,"
                                + " failed_calls = failed_calls + :failure,"
                                + " total_cost_amount = total_cost_amount + :cost WHERE campaign_id = :id"
                                + (cost == null ? "" : " AND total_cost_currency = :currency"))
                        .bind("finished", finished)
                        .bind("success", counted && successful ? 1 : 0)
                        .bind("failure", counted && !successful ? 1 : 0)
                        .bind("cost", cost == null ? BigDecimal.ZERO : cost.amount())
                        .bind("id", t.campaignId());
                if (cost != null) counters.bind("currency", currency(cost));
                int changed = counters.execute();
                if (changed == 0) {
                    throw new IllegalArgumentException("cost " + cost + " is not in the currency of campaign '"
                            + t.campaignId() + "'");
                }
            }
            return true;
        });
    }

    @Override
    public TargetCounts countTargets(String campaignId) {
        Objects.requireNonNull(campaignId, "campaignId");
        return db("count targets", h -> h.createQuery("SELECT COUNT(*) AS total,"
                        + " COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0) AS pending,"
                        + " COALESCE(SUM(CASE WHEN state = 'claimed' THEN 1 ELSE 0 END), 0) AS claimed,"
                        + " COALESCE(SUM(CASE WHEN state = 'claimed' AND attempts > 0 AND last_outcome IS NULL"
                        + " THEN 1 ELSE 0 END), 0) AS in_flight,"
                        + " COALESCE(SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END), 0) AS done,"
                        + " COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0) AS failed,"
                        + " COALESCE(SUM(CASE WHEN state = 'skipped' THEN 1 ELSE 0 END), 0) AS skipped,"
                        + " COALESCE(SUM(CASE WHEN state = 'pending' AND attempts > 0 THEN 1 ELSE 0 END), 0) AS retrying,"
                        + " COALESCE(SUM(attempts), 0) AS attempts"
                        + " FROM calling_campaign_target WHERE campaign_id = :c")
                .bind("c", campaignId)
                .map((rs, ctx) -> new TargetCounts(rs.getInt("total"), rs.getInt("pending"), rs.getInt("claimed"),
                        rs.getInt("in_flight"), rs.getInt("done"), rs.getInt("failed"), rs.getInt("skipped"),
                        rs.getInt("retrying"), rs.getLong("attempts")))
                .one());
    }

    @Override
    public List<CampaignTarget> targets(String campaignId, int offset, int limit) {
        Objects.requireNonNull(campaignId, "campaignId");
        if (offset < 0) throw new IllegalArgumentException("offset " + offset + " must not be negative");
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " must be at least 1");
        return db("list targets", h -> h.createQuery("SELECT * FROM calling_campaign_target WHERE campaign_id = :c"
                        + " ORDER BY seq LIMIT :limit OFFSET :offset")
                .bind("c", campaignId).bind("limit", limit).bind("offset", offset).map(TARGET).list());
    }

    @Override
    public boolean suppress(String customerId, String number) {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(number, "number");
        try {
            return db("suppress a number", h -> h.createUpdate("INSERT INTO calling_suppression (customer_id, number)"
                            + " SELECT :c, :n FROM (VALUES (1)) one WHERE NOT EXISTS (SELECT 1 FROM calling_suppression"
                            + " WHERE customer_id = :c AND number = :n)")
                    .bind("c", customerId).bind("n", number).execute()) == 1;
        } catch (StoreException e) {
            if (Dialect.isUniqueViolation(e)) return false;
            throw e;
        }
    }

    @Override
    public boolean unsuppress(String customerId, String number) {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(number, "number");
        return db("unsuppress a number", h -> h.createUpdate("DELETE FROM calling_suppression"
                        + " WHERE customer_id = :c AND number = :n")
                .bind("c", customerId).bind("n", number).execute()) == 1;
    }

    @Override
    public boolean isSuppressed(String customerId, String number) {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(number, "number");
        return db("check the do-not-call list", h -> h.createQuery("SELECT COUNT(*) FROM calling_suppression"
                        + " WHERE customer_id = :c AND number = :n")
                .bind("c", customerId).bind("n", number).mapTo(Integer.class).one()) > 0;
    }

    // ---- retention and erasure ----

    /**
     * Deletes records, events and inbound messages older than the configured retention, counted from the
     * settings' clock. A host runs it on a schedule (the Spring Boot starter does, see
     * {@code calling.store.purge-interval}).
     */
    public PurgeResult purgeExpired() {
        return purgeBefore(settings.clock().instant().minus(settings.retention()));
    }

    /**
     * Deletes calls started before {@code cutoff} with their events, then any other event that occurred before
     * it of a call no longer kept, then inbound messages received before it, then campaigns that finished (completed or cancelled) before
     * it with their targets, at most {@link StoreSettings#chunkSize()} rows of a kind per transaction so that no
     * lock is held for long. A call that can still change what is billed is kept however old: one not yet ended,
     * or one waiting for reconciliation, since its hold may still be open and the reconciler finds it through its
     * record. So is a finished campaign with an attempt still under way (a claimed target), whose call's end is
     * still to be counted in it.
     */
    public PurgeResult purgeBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        int chunk = settings.chunkSize();
        int calls = 0;
        int events = 0;
        while (true) {
            int[] removed = txOverCalls("purge old calls", h -> {
                List<String> ids = h.createQuery("SELECT call_id FROM calling_call WHERE started_at < :cutoff"
                                + " AND terminal = TRUE AND needs_reconciliation = FALSE ORDER BY started_at LIMIT :chunk")
                        .bind("cutoff", Sql.instant(cutoff)).bind("chunk", chunk).mapTo(String.class).list();
                if (ids.isEmpty()) return new int[] {0, 0};
                int e = h.createUpdate("DELETE FROM calling_call_event WHERE call_id IN (<ids>)")
                        .bindList("ids", ids).execute();
                int c = h.createUpdate("DELETE FROM calling_call WHERE call_id IN (<ids>)")
                        .bindList("ids", ids).execute();
                return new int[] {c, e};
            });
            if (removed[0] == 0) break;
            calls += removed[0];
            events += removed[1];
        }
        // Only events of calls no longer kept (late reports of a call already purged): a kept call's log is read to
        // settle it (its routed event) and to reconcile it (whether its provider ended it), and goes with the call.
        while (true) {
            int removed = db("purge old events", h -> h.createUpdate("DELETE FROM calling_call_event WHERE id IN"
                            + " (SELECT id FROM calling_call_event e WHERE occurred_at < :cutoff AND NOT EXISTS"
                            + " (SELECT 1 FROM calling_call c WHERE c.call_id = e.call_id) ORDER BY id LIMIT :chunk)")
                    .bind("cutoff", Sql.instant(cutoff)).bind("chunk", chunk).execute());
            if (removed == 0) break;
            events += removed;
        }
        int inbound = 0;
        while (true) {
            int removed = db("purge old inbound messages", h -> h.createUpdate("DELETE FROM calling_inbound_message"
                            + " WHERE id IN (SELECT id FROM calling_inbound_message WHERE received_at < :cutoff"
                            + " ORDER BY received_at, id LIMIT :chunk)")
                    .bind("cutoff", Sql.instant(cutoff)).bind("chunk", chunk).execute());
            if (removed == 0) break;
            inbound += removed;
        }
        int campaigns = 0;
        int targets = 0;
        while (true) {
            List<String> finished = db("find finished campaigns to purge", h -> h.createQuery("SELECT campaign_id"
                            + " FROM calling_campaign c WHERE status IN (:completed, :canceled) AND completed_at < :cutoff"
                            + " AND NOT EXISTS (SELECT 1 FROM calling_campaign_target t WHERE t.campaign_id = c.campaign_id"
                            + " AND t.state = :claimed) ORDER BY completed_at, campaign_id LIMIT :chunk")
                    .bind("completed", Campaign.Status.COMPLETED.wireName())
                    .bind("canceled", Campaign.Status.CANCELED.wireName())
                    .bind("claimed", CampaignTarget.State.CLAIMED.wireName())
                    .bind("cutoff", Sql.instant(cutoff)).bind("chunk", chunk).mapTo(String.class).list());
            if (finished.isEmpty()) break;
            for (String campaignId : finished) {
                while (true) {
                    int removed = db("purge a finished campaign's targets", h -> h.createUpdate("DELETE FROM"
                                    + " calling_campaign_target WHERE campaign_id = :id AND target_id IN (SELECT target_id"
                                    + " FROM calling_campaign_target WHERE campaign_id = :id ORDER BY seq LIMIT :chunk)")
                            .bind("id", campaignId).bind("chunk", chunk).execute());
                    if (removed == 0) break;
                    targets += removed;
                }
                // gone only once no target is left, so a purge stopped half-way is finished by the next one
                campaigns += db("purge a finished campaign", h -> h.createUpdate("DELETE FROM calling_campaign"
                                + " WHERE campaign_id = :id AND NOT EXISTS (SELECT 1 FROM calling_campaign_target"
                                + " WHERE campaign_id = :id)")
                        .bind("id", campaignId).execute());
            }
        }
        return new PurgeResult(calls, events, inbound, campaigns, targets);
    }

    /**
     * Erases what is held about a phone number (or any stored destination text): in every call to or
     * from it the number becomes {@code erased:<HMAC-SHA256 hex>} under the configured erasure key (so does an
     * idempotency key that holds the number, as a campaign attempt's does, by its own HMAC), and the recording,
     * transcript, sentiment, error message, metadata and request fingerprint are removed; those calls' event
     * details are scrubbed, and their dedup keys (hashes of those details) keyed by the erasure key; campaign
     * targets lose the number (as their id too) and their variables; inbound
     * messages from it, or matched to those calls, are deleted (nothing in them is billed). Cost, duration, category and dates
     * stay for billing. An audit row keeps only the HMAC and the counts. Each of those calls that a provider
     * holds is queued, in the same transaction, for its provider to delete (see {@link #continueErasures}).
     *
     * <p>A call that can still change what is billed (not ended, waiting for reconciliation, or not yet settled)
     * keeps its number, which its settlement prices by, until it can no longer: {@link #continueErasures} erases
     * it then. A later update of an erased call still moves its status and cost but leaves the recording,
     * transcript, sentiment and error message empty, its later events are kept without their details, and a
     * message matched to it later is not kept ({@link #appendInbound} returns false, as for one already held), nor is
     * a later message from the number that matches no call. A report or a matched message stored while the erasure
     * runs reads the call's row with a lock, so it waits for the erasure and is then treated as one that came after it.
     * A message from the number that matches no call, stored while the erasure runs, is deleted by it or, once the
     * erasure is recorded, by its own store: the erasure records the number before it deletes the number's messages.
     *
     * @throws IllegalStateException when no erasure key is configured
     */
    public ErasureResult erase(String number) {
        Objects.requireNonNull(number, "number");
        String pseudonym = ERASED_PREFIX + hmac(number);
        int calls = 0;
        int events = 0;
        int inbound = 0;
        int providerCalls = 0;
        while (true) {
            int[] changed = txOverCalls("erase a number", h -> {
                List<String> ids = h.createQuery("SELECT call_id FROM calling_call c WHERE (to_number = :n OR"
                                + " from_number = :n) AND " + settled("c") + " ORDER BY id LIMIT :chunk")
                        .bind("n", number).bind("chunk", settings.chunkSize()).mapTo(String.class).list();
                return ids.isEmpty() ? new int[] {0, 0, 0, 0} : anonymise(h, ids, number, pseudonym);
            });
            if (changed[0] == 0) break;
            calls += changed[0];
            events += changed[1];
            inbound += changed[2];
            providerCalls += changed[3];
        }
        Instant now = settings.clock().instant();
        int deferred = db("defer the erasure of calls under way", h -> h.createUpdate("INSERT INTO"
                        + " calling_deferred_erasure (call_id, number_hash, requested_at) SELECT call_id, :pseudonym, :now"
                        + " FROM calling_call c WHERE (to_number = :n OR from_number = :n) AND NOT EXISTS (SELECT 1"
                        + " FROM calling_deferred_erasure d WHERE d.call_id = c.call_id AND d.number_hash = :pseudonym)")
                .bind("pseudonym", pseudonym).bind("now", Sql.instant(now)).bind("n", number).execute());
        int targets = db("erase a number from campaigns", h -> h.createUpdate("UPDATE calling_campaign_target"
                        + " SET to_number = :pseudonym, variables = " + dialect.json("empty") + ","
                        // the campaign runner names a target by its number
                        + " target_id = CASE WHEN target_id = :n THEN :pseudonym ELSE target_id END WHERE to_number = :n")
                .bind("pseudonym", pseudonym).bind("empty", "{}").bind("n", number).execute());
        // Recorded, and committed, before the number's messages are deleted: a message from it that matches no call and
        // read it as not erased either committed before the delete, which deletes it, or reads this record once
        // committed and deletes itself (see appendInbound). The delete then adds its count to the record.
        ErasureResult recorded = new ErasureResult(calls, events, targets, inbound, providerCalls, deferred);
        long audit = db("record an erasure", h -> h.createUpdate("INSERT INTO calling_erasure (number_hash, erased_at,"
                        + " calls, events, targets, inbound_messages) VALUES (:hash, :at, :calls, :events, :targets, :inbound)")
                .bind("hash", pseudonym).bind("at", Sql.instant(now))
                .bind("calls", recorded.calls()).bind("events", recorded.events()).bind("targets", recorded.targets())
                .bind("inbound", recorded.inboundMessages())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        int fromNumber = txOverCalls("erase a number's inbound messages", h -> {
            int deleted = h.createUpdate("DELETE FROM calling_inbound_message WHERE from_endpoint = :n")
                    .bind("n", number).execute();
            h.createUpdate("UPDATE calling_erasure SET inbound_messages = inbound_messages + :deleted WHERE id = :id")
                    .bind("deleted", deleted).bind("id", audit).execute();
            return deleted;
        });
        return new ErasureResult(calls, events, targets, inbound + fromNumber, providerCalls, deferred);
    }

    /** Whether the call row {@code call} can no longer change what is billed: ended, reconciled and settled. */
    private static String settled(String call) {
        return call + ".terminal = TRUE AND " + call + ".needs_reconciliation = FALSE AND " + call
                + ".cost_amount IS NOT NULL";
    }

    /**
     * Replaces {@code number} with {@code pseudonym} in the calls {@code ids}, removes what else they say of the
     * person, deletes their inbound messages, and queues each that a provider holds for deletion there.
     *
     * @return the calls, events and messages changed, and the calls queued at their providers
     */
    private int[] anonymise(Handle h, List<String> ids, @Nullable String number, String pseudonym) {
        int queued = h.createUpdate("INSERT INTO calling_provider_erasure (provider_id, provider_call_id,"
                        + " requested_at, next_attempt_at, attempts) SELECT provider_id, provider_call_id, :now,"
                        + " :now, 0 FROM calling_call c WHERE call_id IN (<ids>) AND provider_call_id IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM calling_provider_erasure e WHERE"
                        + " e.provider_id = c.provider_id AND e.provider_call_id = c.provider_call_id)")
                .bind("now", Sql.instant(settings.clock().instant())).bindList("ids", ids).execute();
        List<String> notErasedBefore = h.createQuery("SELECT call_id FROM calling_call WHERE call_id IN (<ids>) AND NOT "
                + ERASED).bindList("ids", ids).mapTo(String.class).list();
        int calls = h.createUpdate("UPDATE calling_call SET"
                        + " to_number = CASE WHEN to_number = :n THEN :pseudonym ELSE to_number END,"
                        + " from_number = CASE WHEN from_number = :n THEN :pseudonym ELSE from_number END,"
                        + " recording_url = NULL, transcript = NULL, ai_sentiment = NULL, error_message = NULL,"
                        + " metadata = " + dialect.json("empty") + ", request_fingerprint = NULL"
                        + " WHERE call_id IN (<ids>)")
                .bind("n", number).bind("pseudonym", pseudonym).bind("empty", "{}").bindList("ids", ids)
                .execute();
        if (number != null) pseudonymiseKeys(h, ids, number);
        // After the calls' rows changed: that waited for a message of theirs holding its call's row (appendInbound),
        // which is committed now, so this delete sees it.
        int messages = h.createUpdate("DELETE FROM calling_inbound_message WHERE call_id IN (<ids>)")
                .bindList("ids", ids).execute();
        int events = h.createUpdate("UPDATE calling_call_event SET data = " + dialect.json("empty")
                        + " WHERE call_id IN (<ids>)")
                .bind("empty", "{}").bindList("ids", ids).execute();
        if (!notErasedBefore.isEmpty()) keyDedupKeys(h, notErasedBefore);
        // only this number's: an erasure of the call's other number deferred too is still to be done
        h.createUpdate("DELETE FROM calling_deferred_erasure WHERE call_id IN (<ids>) AND number_hash = :pseudonym")
                .bind("pseudonym", pseudonym).bindList("ids", ids).execute();
        return new int[] {calls, events, messages, queued};
    }

    /**
     * Keys the dedup keys of the events of those of the calls {@code ids} that are erased now (see
     * {@link #erasedDedupKey}); the calls were not erased before, so none of their keys is keyed yet.
     */
    private void keyDedupKeys(Handle h, List<String> ids) {
        List<Map<String, Object>> events = h.createQuery("SELECT e.id, e.dedup_key FROM calling_call_event e JOIN"
                        + " calling_call c ON c.call_id = e.call_id WHERE e.call_id IN (<ids>) AND e.dedup_key IS NOT NULL"
                        + " AND " + ERASED)
                .bindList("ids", ids).mapToMap().list();
        if (events.isEmpty()) return;
        PreparedBatch batch = h.prepareBatch("UPDATE calling_call_event SET dedup_key = :keyed WHERE id = :id");
        for (Map<String, Object> event : events) {
            batch.bind("keyed", erasedDedupKey(((String) event.get("dedup_key")).strip()))
                    .bind("id", ((Number) event.get("id")).longValue()).add();
        }
        batch.execute();
    }

    /**
     * Replaces each idempotency key of the calls {@code ids} that holds {@code number} (or its digits, as the
     * campaign runner's keys, {@code campaign:<id>:<digits>:<attempt>}, do) with its own pseudonym: distinct keys
     * stay distinct, and the number is gone. Other keys are the host's and are kept.
     */
    private void pseudonymiseKeys(Handle h, List<String> ids, String number) {
        String digits = number.replace("+", "");
        List<Map<String, Object>> keyed = h.createQuery("SELECT call_id, idempotency_key FROM calling_call"
                        + " WHERE call_id IN (<ids>) AND idempotency_key IS NOT NULL")
                .bindList("ids", ids).mapToMap().list();
        for (Map<String, Object> row : keyed) {
            String key = (String) row.get("idempotency_key");
            if (!key.contains(number) && (digits.isEmpty() || !key.contains(digits))) continue;
            h.createUpdate("UPDATE calling_call SET idempotency_key = :pseudonym WHERE call_id = :id")
                    .bind("pseudonym", ERASED_PREFIX + hmac(key)).bind("id", (String) row.get("call_id")).execute();
        }
    }

    /** How long a node that took a queued provider erasure has to finish it before another node may take it. */
    private static final Duration PROVIDER_ERASURE_LEASE = Duration.ofMinutes(10);
    private static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    private static final Duration LAST_RETRY = Duration.ofDays(1);

    /**
     * Carries on what erasures left to do; a host runs it on a schedule (the Spring Boot starter does, with
     * retention). First, each call an erasure deferred that can no longer change what is billed is erased as
     * {@link #erase} erases the others, and a call retention has forgotten meanwhile leaves the list. Then each
     * provider is asked, through {@code eraser} (a host passes {@code manager::eraseAtProvider}), to delete what it
     * keeps of the erased calls queued for it that are due, a chunk at a time. A call its provider deleted leaves
     * the queue. One that failed stays, with its error, and is due again after a wait that doubles from a minute
     * to a day. A call being deleted is leased to this node for ten minutes, so nodes running this at once do not
     * share one.
     */
    public ErasureProgress continueErasures(ProviderCallEraser eraser) {
        Objects.requireNonNull(eraser, "eraser");
        int calls = finishDeferredErasures();
        int erased = 0;
        int failed = 0;
        while (true) {
            Instant now = settings.clock().instant();
            List<QueuedProviderErasure> due = db("find provider erasures due", h -> h.createQuery("SELECT provider_id,"
                            + " provider_call_id, next_attempt_at, attempts FROM calling_provider_erasure"
                            + " WHERE next_attempt_at <= :now ORDER BY next_attempt_at LIMIT :chunk")
                    .bind("now", Sql.instant(now)).bind("chunk", settings.chunkSize())
                    .map((rs, ctx) -> new QueuedProviderErasure(rs.getString("provider_id"),
                            rs.getString("provider_call_id"), Sql.instant(rs, "next_attempt_at"), rs.getInt("attempts")))
                    .list());
            if (due.isEmpty()) break;
            for (QueuedProviderErasure q : due) {
                if (!leaseProviderErasure(q, now.plus(PROVIDER_ERASURE_LEASE))) continue;
                try {
                    eraser.erase(q.providerId(), q.providerCallId());
                } catch (RuntimeException e) {
                    failed++;
                    retryProviderErasureLater(q, e);
                    continue;
                }
                erased++;
                db("forget a provider erasure done", h -> h.createUpdate("DELETE FROM calling_provider_erasure"
                                + " WHERE provider_id = :p AND provider_call_id = :c")
                        .bind("p", q.providerId()).bind("c", q.providerCallId()).execute());
            }
        }
        int[] left = db("count what erasures left", h -> h.createQuery("SELECT (SELECT COUNT(*) FROM"
                        + " calling_deferred_erasure) AS waiting, (SELECT COUNT(*) FROM calling_provider_erasure) AS pending")
                .map((rs, ctx) -> new int[] {rs.getInt("waiting"), rs.getInt("pending")}).one());
        return new ErasureProgress(calls, left[0], erased, failed, left[1]);
    }

    /** Erases the deferred calls that are settled now, a chunk at a time; drops those retention forgot. */
    private int finishDeferredErasures() {
        db("forget deferred erasures of forgotten calls", h -> h.createUpdate("DELETE FROM calling_deferred_erasure d"
                + " WHERE NOT EXISTS (SELECT 1 FROM calling_call c WHERE c.call_id = d.call_id)").execute());
        int erased = 0;
        while (true) {
            int done = txOverCalls("finish deferred erasures", h -> {
                List<Map<String, Object>> settled = h.createQuery("SELECT d.call_id, d.number_hash, c.to_number,"
                                + " c.from_number FROM calling_deferred_erasure d JOIN calling_call c ON c.call_id = d.call_id"
                                + " WHERE " + settled("c") + " ORDER BY d.call_id LIMIT :chunk")
                        .bind("chunk", settings.chunkSize()).mapToMap().list();
                for (Map<String, Object> row : settled) {
                    String pseudonym = (String) row.get("number_hash");
                    // the erased number is the side whose pseudonym is the one recorded (under another key: neither)
                    String number = null;
                    for (String side : List.of("to_number", "from_number")) {
                        String value = (String) row.get(side);
                        if (value != null && pseudonym.equals(ERASED_PREFIX + hmac(value))) number = value;
                    }
                    anonymise(h, List.of((String) row.get("call_id")), number, pseudonym);
                }
                return settled.size();
            });
            erased += done;
            if (done < settings.chunkSize()) return erased;
        }
    }

    private record QueuedProviderErasure(String providerId, String providerCallId, Instant nextAttemptAt, int attempts) {
    }

    /** Takes the queued erasure unless another node took it since it was read. */
    private boolean leaseProviderErasure(QueuedProviderErasure q, Instant until) {
        return db("lease a provider erasure", h -> h.createUpdate("UPDATE calling_provider_erasure SET"
                        + " next_attempt_at = :until WHERE provider_id = :p AND provider_call_id = :c"
                        + " AND next_attempt_at = :seen")
                .bind("until", Sql.instant(until)).bind("p", q.providerId()).bind("c", q.providerCallId())
                .bind("seen", Sql.instant(q.nextAttemptAt())).execute()) == 1;
    }

    private void retryProviderErasureLater(QueuedProviderErasure q, RuntimeException failure) {
        int attempts = q.attempts() + 1;
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 11));
        Instant next = settings.clock().instant().plus(wait.compareTo(LAST_RETRY) < 0 ? wait : LAST_RETRY);
        String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        db("record a provider erasure that failed", h -> h.createUpdate("UPDATE calling_provider_erasure SET"
                        + " attempts = :attempts, next_attempt_at = :next, last_error = :error"
                        + " WHERE provider_id = :p AND provider_call_id = :c")
                .bind("attempts", attempts).bind("next", Sql.instant(next))
                .bind("error", error.length() > 1000 ? error.substring(0, 1000) : error)
                .bind("p", q.providerId()).bind("c", q.providerCallId()).execute());
        log.warn("provider '{}' could not erase its call {} (attempt {}), next try at {}: {}", q.providerId(),
                q.providerCallId(), attempts, next, error);
    }

    private String hmac(String number) {
        var key = settings.erasureKey().orElseThrow(() -> new IllegalStateException(
                "erasure needs an erasure key: set StoreSettings.builder().erasureKey(...)"));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.revealBytes(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(number.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    // ---- statistics ----

    /** The hour a call started in, as whole hours since the epoch: the same expression on H2 and PostgreSQL. */
    private static final String EPOCH_HOUR = "FLOOR(EXTRACT(EPOCH FROM started_at) / 3600)";

    @Override
    public CallStats stats(Instant since) {
        Objects.requireNonNull(since, "since");
        List<CallStats.Group> groups = db("count calls by category and hour", h -> h.createQuery(
                        "SELECT category, " + EPOCH_HOUR + " AS epoch_hour, cost_currency, COUNT(*) AS calls,"
                        + " SUM(cost_amount) AS cost FROM calling_call WHERE started_at >= :since"
                        + " GROUP BY category, " + EPOCH_HOUR + ", cost_currency")
                .bind("since", Sql.instant(since))
                .map((rs, ctx) -> {
                    String currency = rs.getString("cost_currency");
                    return new CallStats.Group(CallCategory.fromWireName(rs.getString("category")),
                            rs.getLong("epoch_hour"), currency == null ? null : Currency.getInstance(currency.trim()),
                            rs.getLong("calls"), rs.getBigDecimal("cost"));
                }).list());
        return CallStats.of(since, groups);
    }

    @Override
    public String toString() {
        return "JdbiCallStore[" + dialect + "]";
    }

    // ---- counts (for dashboards and gauges) ----

    @Override
    public int countNeedingReconciliation() {
        return db("count unresolved calls", h -> h.createQuery(
                        "SELECT COUNT(*) FROM calling_call WHERE needs_reconciliation = TRUE")
                .mapTo(Integer.class).one());
    }

    @Override
    public Map<String, Integer> countPendingTargetsByZone(String campaignId) {
        Objects.requireNonNull(campaignId, "campaignId");
        List<Map.Entry<String, Integer>> rows = db("count pending targets by zone", h -> h.createQuery(
                        "SELECT COALESCE(time_zone, to_number) AS zone, COUNT(*) AS targets FROM calling_campaign_target"
                        + " WHERE campaign_id = :campaignId AND state = :pending GROUP BY COALESCE(time_zone, to_number)")
                .bind("campaignId", campaignId).bind("pending", CampaignTarget.State.PENDING.wireName())
                .map((rs, ctx) -> Map.entry(rs.getString("zone"), rs.getInt("targets"))).list());
        Map<String, Integer> counts = new HashMap<>();
        rows.forEach(row -> counts.put(row.getKey(), row.getValue()));
        return counts;
    }
}
