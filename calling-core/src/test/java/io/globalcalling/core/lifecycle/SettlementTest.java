package io.globalcalling.core.lifecycle;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.limits.CallLimits;
import io.globalcalling.core.routing.ProviderCatalog;
import io.globalcalling.core.routing.QualityTracker;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How an ended call is priced, and what routing learns from it. */
class SettlementTest {

    private static final Instant T0 = MutableClock.DEFAULT_START;
    private static final Endpoint INDIA = Endpoint.parse("+919876543210");

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final QualityTracker quality = QualityTracker.ofDefaults(clock);
    /** The deck: 2 INR a minute and 1 INR a call. */
    private final FakeCallProvider carrier = FakeCallProvider.builder().id("p").clock(clock)
            .categories(CallCategory.INTERNET_VOIP)
            .rate(Rate.builder(CallCategory.INTERNET_VOIP, "").perMinute(Money.inr("2")).perCall(Money.inr("1")).build())
            .build();

    private Settlement settlement(Optional<Rate> liveQuote) {
        CallingProvider quoting = liveQuote.isEmpty() ? carrier : new QuotingProvider(carrier, liveQuote.get());
        return new Settlement(CallLimits.builder().build(), FxTable.defaults(), quality,
                id -> id.equals("p") ? Optional.of(quoting) : Optional.empty(), ProviderCatalog.of(List.of(carrier)), store);
    }

    private CallRecord ended(String callId, String providerCallId, CallStatus status, Integer seconds) {
        store.create(CallRecord.initiated(callId, "acme", CallCategory.INTERNET_VOIP, null, INDIA.value(), null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, T0, Map.of()));
        CallUpdate update = CallUpdate.of(callId, T0).provider("p", providerCallId).status(status).endedAt(T0.plusSeconds(90));
        if (seconds != null) update = update.durationSeconds(seconds).answeredAt(T0.plusSeconds(4));
        store.update(update);
        return store.find(callId).orElseThrow();
    }

    @Test
    void aCallNoProviderTookCostsNothingEvenWhenOneWasAsked() {
        assertThat(settlement(Optional.empty()).settle(ended("unknown", null, CallStatus.FAILED, null), null))
                .isEqualTo(Money.inr("0"));
    }

    @Test
    void aCallAProviderTookThatTheManagerEndedCostsItsPerCallFee() {
        assertThat(settlement(Optional.empty()).settle(ended("ended", "P-1", CallStatus.FAILED, null), null))
                .isEqualTo(Money.inr("1"));
    }

    @Test
    void aCompletedCallIsPricedFromItsTalkTimeAtTheDeckUnlessTheProviderQuotesLive() {
        CallRecord talked = ended("talked", "P-2", CallStatus.COMPLETED, 120);
        CallEvent end = CallEvent.builder("p", T0.plusSeconds(124)).providerCallId("P-2").status(CallStatus.COMPLETED)
                .duration(Duration.ofSeconds(120)).build();

        assertThat(settlement(Optional.empty()).settle(talked, end)).isEqualTo(Money.inr("5"));
        assertThat(settlement(Optional.of(Rate.perMinute(CallCategory.INTERNET_VOIP, "91", Money.inr("3"))))
                .settle(talked, end)).isEqualTo(Money.inr("6"));
    }

    /** Routing prices a call at the deck when the provider's live quote fails; settling its end must do the same. */
    @Test
    void aLiveQuoteThatFailsLeavesTheCallPricedAtTheDeck() {
        CallingProvider quoteFails = new QuotingProvider(carrier, null) {
            @Override
            public Optional<Rate> quote(CallCategory category, Endpoint destination) {
                throw ProviderException.of("p", ErrorReason.UNAVAILABLE, "pricing API: 503 Service Unavailable");
            }
        };
        Settlement s = new Settlement(CallLimits.builder().build(), FxTable.defaults(), quality,
                id -> id.equals("p") ? Optional.of(quoteFails) : Optional.empty(), ProviderCatalog.of(List.of(carrier)), store);
        CallRecord talked = ended("unquoted", "P-4", CallStatus.COMPLETED, 120);
        CallEvent end = CallEvent.builder("p", T0.plusSeconds(124)).providerCallId("P-4").status(CallStatus.COMPLETED)
                .duration(Duration.ofSeconds(120)).build();

        assertThat(s.settle(talked, end)).isEqualTo(Money.inr("5"));
    }

    @Test
    void aReportedPriceWinsOverEveryRate() {
        CallRecord talked = ended("priced", "P-3", CallStatus.COMPLETED, 120);
        CallEvent end = CallEvent.builder("p", T0.plusSeconds(124)).providerCallId("P-3").status(CallStatus.COMPLETED)
                .duration(Duration.ofSeconds(120)).price(Money.inr("0.75")).build();

        assertThat(settlement(Optional.empty()).settle(talked, end)).isEqualTo(Money.inr("0.75"));
    }

    /**
     * A reported price the FX table cannot convert would fail every settlement of the call (a callback's and each
     * reconciliation's), leaving its hold held for good: the deck prices the call instead, and the call's log says so
     * once, however often the end is settled.
     */
    @Test
    void aReportedPriceNoRateConvertsIsSettledAtTheDeckAndNotedOnce() {
        CallRecord talked = ended("aud", "P-5", CallStatus.COMPLETED, 120);
        CallEvent end = CallEvent.builder("p", T0.plusSeconds(124)).providerCallId("P-5").status(CallStatus.COMPLETED)
                .duration(Duration.ofSeconds(120)).price(Money.of("0.09", "AUD")).build();
        Settlement s = settlement(Optional.empty());

        assertThat(s.settle(talked, end)).isEqualTo(Money.inr("5"));
        assertThat(s.settle(talked, end)).isEqualTo(Money.inr("5"));

        assertThat(store.events("aud")).filteredOn(e -> e.type().equals(Settlement.PRICE_NOT_CONVERTED)).singleElement()
                .satisfies(e -> assertThat(e.data()).containsEntry("price", Money.of("0.09", "AUD").toString())
                        .containsEntry("cost", Money.inr("5").toString()));
    }

    /**
     * A plug-in provider may report any Money, a negative price too. The ledger refuses a negative cost, so settling at
     * it would fail every settlement of the call (the callback's and each reconciliation's) and its hold would stay
     * held for good: like a price the FX table cannot convert, it is settled at the deck, once, and the log says why.
     */
    @Test
    void aNegativeReportedPriceIsSettledOnceAtTheDeckAndNoted() {
        CallLimits limits = CallLimits.builder().clock(clock).rateWindows()
                .budgets(io.globalcalling.core.limits.Budget.daily(Money.inr("1000"))).build();
        Settlement s = new Settlement(limits, FxTable.defaults(), quality,
                id -> id.equals("p") ? Optional.of(carrier) : Optional.empty(), ProviderCatalog.of(List.of(carrier)), store);
        limits.admit("refund", io.globalcalling.CallRequest.to(INDIA).customerId("acme").build(),
                CallCategory.INTERNET_VOIP, Money.inr("0"), Money.inr("10"));
        CallRecord talked = ended("refund", "P-6", CallStatus.COMPLETED, 120);
        CallEvent end = CallEvent.builder("p", T0.plusSeconds(124)).providerCallId("P-6").status(CallStatus.COMPLETED)
                .duration(Duration.ofSeconds(120)).price(Money.inr("-0.75")).build();

        assertThat(s.settle(talked, end)).isEqualTo(Money.inr("5"));
        assertThat(s.settle(talked, end)).isEqualTo(Money.inr("5"));

        assertThat(limits.budgetUsage("acme")).singleElement().satisfies(u -> assertThat(u.used()).isEqualTo(Money.inr("5")));
        assertThat(store.events("refund")).filteredOn(e -> e.type().equals(Settlement.NEGATIVE_PRICE)).singleElement()
                .satisfies(e -> assertThat(e.data()).containsEntry("price", Money.inr("-0.75").toString())
                        .containsEntry("cost", Money.inr("5").toString()));
    }

    /** With no rate to price it at either (its provider is gone, with its deck), such a call is not settled as free. */
    @Test
    void aReportedPriceNoRateConvertsIsNeverSettledAsFree() {
        store.create(CallRecord.initiated("gone", "acme", CallCategory.INTERNET_VOIP, null, INDIA.value(), null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, T0, Map.of()));
        store.update(CallUpdate.of("gone", T0).provider("retired", "R-1").status(CallStatus.COMPLETED).durationSeconds(60));
        CallEvent end = CallEvent.builder("retired", T0.plusSeconds(64)).providerCallId("R-1").status(CallStatus.COMPLETED)
                .duration(Duration.ofSeconds(60)).price(Money.of("0.09", "AUD")).build();

        assertThatThrownBy(() -> settlement(Optional.empty()).settle(store.find("gone").orElseThrow(), end))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.09 AUD").hasMessageContaining("no rate");
    }

    @Test
    void routingLearnsOnlyFromCallsAProviderTookWithTheirPostDialDelay() {
        Settlement s = settlement(Optional.empty());

        s.ended(ended("never-taken", null, CallStatus.FAILED, null));
        assertThat(quality.quality("p", INDIA)).isEmpty();

        s.ended(ended("taken", "P-4", CallStatus.COMPLETED, 30));
        assertThat(quality.quality("p", INDIA)).get().satisfies(q -> {
            assertThat(q.samples()).isEqualTo(1);
            assertThat(q.answerRatio()).isEqualTo(1.0);
            assertThat(q.postDialDelay()).contains(Duration.ofSeconds(4));
        });
    }

    /** A provider whose live quote differs from its deck. */
    private static class QuotingProvider implements CallingProvider {
        private final FakeCallProvider deck;
        private final Rate quote;

        QuotingProvider(FakeCallProvider deck, Rate quote) {
            this.deck = deck;
            this.quote = quote;
        }

        @Override public String id() { return deck.id(); }
        @Override public java.util.Set<CallCategory> categories() { return deck.categories(); }
        @Override public io.globalcalling.spi.ProviderCapabilities capabilities() { return deck.capabilities(); }
        @Override public io.globalcalling.spi.ProviderCoverage coverage() { return deck.coverage(); }
        @Override public List<Rate> rates() { return deck.rates(); }
        @Override public Optional<Rate> quote(CallCategory category, Endpoint destination) { return Optional.of(quote); }
        @Override public io.globalcalling.spi.PlacedCall place(io.globalcalling.spi.OutboundCall call) { return deck.place(call); }
        @Override public Optional<CallEvent> fetch(String providerCallId) { return deck.fetch(providerCallId); }
        @Override public void hangUp(String providerCallId) { deck.hangUp(providerCallId); }
        @Override public io.globalcalling.spi.WebhookHandler webhooks() { return deck.webhooks(); }
    }
}
