package io.globalcalling.spi;

import io.globalcalling.CallCategory;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.PhoneNumber;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A way to place calls: Twilio, Vonage, the sandbox, or any plug-in. Implementations are
 * thread-safe; one instance serves every call of a manager.
 */
public interface CallingProvider extends AutoCloseable {

    /** Stable, lower-case id, e.g. {@code twilio}; used in records and webhook routes. */
    String id();

    /**
     * The categories it serves. A host may narrow or widen them with {@code <id>.categories=...}
     * within {@link #supportedCategories()}; the core applies that setting, the provider need not.
     */
    Set<CallCategory> categories();

    /**
     * Every category it can serve when the host's account allows it (a carrier that can dial satellite
     * ranges for accounts permitted to), at least {@link #categories()}; its place() must accept each.
     */
    default Set<CallCategory> supportedCategories() {
        return categories();
    }

    ProviderCapabilities capabilities();

    ProviderCoverage coverage();

    /**
     * Whether this provider can reach the endpoint at all (its kind and, where the provider knows,
     * its destination). The core also requires a rate for it.
     */
    default boolean covers(Endpoint endpoint) {
        return endpoint instanceof PhoneNumber;
    }

    /** The provider's rate deck. The core indexes it; call {@code manager.refreshRates()} after it changes. */
    List<Rate> rates();

    /** A live price for one destination (from a pricing API, cached), overriding the deck when present. */
    default Optional<Rate> quote(CallCategory category, Endpoint destination) {
        return Optional.empty();
    }

    /**
     * Places the call. Must not retry a request whose bytes may have reached the provider.
     *
     * @throws ProviderException with {@link ErrorReason#UNAVAILABLE} only when nothing was sent (safe to
     *                           fail over), {@link ErrorReason#OUTCOME_UNKNOWN} when it was sent and no answer came
     */
    PlacedCall place(OutboundCall call);

    /** The call's current state as the provider knows it. */
    Optional<CallEvent> fetch(String providerCallId);

    /**
     * {@link #fetch(String)}, told by our record when the call was last handed to the provider: no request for it was
     * sent after {@code sentUntil} (the provider's answer, or its lack, was recorded then). The core calls this one. A
     * provider that keeps what it sent only while it runs, and can tell from that time alone what became of a call it
     * no longer knows after a restart (an SBD message its terminal has not collected within the gateway's queue
     * lifetime was dropped undelivered), uses it; any other keeps this default, which asks {@link #fetch(String)}.
     */
    default Optional<CallEvent> fetch(String providerCallId, Instant sentUntil) {
        return fetch(providerCallId);
    }

    /**
     * Searches the provider's own record for a call whose placement outcome is unknown (its create may have
     * been sent, and no answer came), by our call id where the provider keeps it, else by what the create
     * carried (destination, caller ID) within the window it was sent in. The core asks only about calls the
     * provider gave no id for, and never dials again because of the answer.
     *
     * <p>The provider's duty: answer {@link PlacementSearch#found} with the call when it has it;
     * {@link PlacementSearch#notPlaced} only when it searched its whole record (every page) over a window that
     * covers {@code sentFrom} to {@code sentUntil} widened by any clock skew it allows for, and no call there can
     * be ours; {@link PlacementSearch#unknown} in every other case: it cannot search, a page failed, the search
     * was cut short, several calls match (a call already on record for another call of ours is no match: see
     * {@link #findPlaced(OutboundCall, Instant, Instant, Predicate)}, which the core calls). A search only finds
     * what the provider's list already shows: the core trusts "not placed" only once
     * {@link ProviderCapabilities#reconcileGrace()} has passed since
     * {@code sentUntil}, so a provider whose list lags declares that lag there. A provider that cannot search
     * keeps this default, which answers unknown.
     *
     * @param call      the call as it was sent
     * @param sentFrom  by our clock, no create for it was sent before this (the call was recorded then)
     * @param sentUntil by our clock, no create for it was sent after this (its outcome was known to be unknown then)
     */
    default PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil) {
        return PlacementSearch.unknown("provider '" + id() + "' cannot search for a call it gave no id for");
    }

    /**
     * {@link #findPlaced(OutboundCall, Instant, Instant)}, told which of the provider's calls are already on record
     * for another call of ours: a search that matches by destination, caller ID and time counts no such call, so
     * that a call placed normally just before the lost one, to the same number, does not make the lost one's search
     * ambiguous. Every other rule stands: a match the predicate does not name counts as before, two or more left are
     * still {@link PlacementSearch#unknown}, and none left is what none found would be (so {@link
     * PlacementSearch#notPlaced} only after a complete search over the whole window). The core calls this one; a
     * provider whose search cannot match another call of ours (it finds calls by our call id) keeps this default,
     * which ignores the predicate.
     *
     * @param recordedOnAnother whether a provider call id is already on record for a call other than {@code call}
     */
    default PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil,
                                       Predicate<String> recordedOnAnother) {
        return findPlaced(call, sentFrom, sentUntil);
    }

    /** Ends the call: hangs up if answered, cancels if not. */
    void hangUp(String providerCallId);

    /**
     * Deletes what the provider keeps of one of its calls, for an erasure: the call's recordings and its record
     * in the provider's call log. Safe to repeat: what is already gone counts as deleted. A provider whose API
     * deletes nothing of a call keeps this default, which does nothing.
     *
     * @throws ProviderException when something could not be deleted this time; the caller tries again later
     */
    default void eraseCall(String providerCallId) {
    }

    WebhookHandler webhooks();

    @Override
    default void close() {
    }
}
