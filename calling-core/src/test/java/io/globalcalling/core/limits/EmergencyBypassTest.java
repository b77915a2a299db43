package io.globalcalling.core.limits;

import io.globalcalling.core.limits.event.EmergencyBypass;
import io.globalcalling.core.limits.event.LimitEvent;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Purpose;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.globalcalling.core.limits.Fixtures.call;
import static io.globalcalling.core.limits.Fixtures.emergency;
import static io.globalcalling.core.limits.Fixtures.inr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EmergencyBypassTest {

    private final MutableClock clock = MutableClock.at("2026-11-24T10:45:00Z");
    private final List<EmergencyBypass> bypasses = new CopyOnWriteArrayList<>();
    private final List<LimitEvent> stream = new CopyOnWriteArrayList<>();
    private final CallLimits limits = CallLimits.builder().clock(clock)
            .rateWindows(RateWindow.perMinute(1)).budgets(Budget.daily(inr("100"))).build();

    {
        limits.onBypass(bypasses::add);
        limits.onEvent(stream::add);
    }

    @Test
    void anEmergencyPassesAFullWindowAndIsStillCounted() {
        limits.admit("a", call("acme"), CallCategory.INTERNET_VOIP, inr("1"), inr("0"));

        Admission sos = limits.admit("sos", emergency("acme"), CallCategory.INTERNET_VOIP, inr("1"), inr("0"));

        assertThat(sos.bypassed()).isTrue();
        LimitExceededException next = catchThrowableOfType(LimitExceededException.class,
                () -> limits.admit("b", call("acme"), CallCategory.INTERNET_VOIP, inr("1"), inr("0")));
        assertThat(next.count()).hasValue(2);
    }

    @Test
    void anEmergencyPastTheBudgetIsHeldFlaggedAndReportedInTheAlertStream() {
        limits.admit("a", call("acme"), CallCategory.INTERNET_VOIP, inr("0"), inr("90"));

        Admission sos = limits.admit("sos", emergency("acme"), CallCategory.SATELLITE, inr("100"), inr("0"));

        assertThat(sos).isEqualTo(new Admission("sos", "acme", CallCategory.SATELLITE, inr("1000"), true));
        assertThat(bypasses).singleElement().satisfies(b -> {
            assertThat(b.callId()).isEqualTo("sos");
            assertThat(b.held()).isEqualTo(inr("1000"));
            assertThat(b.overCap()).isTrue();
            assertThat(b.usage()).singleElement().satisfies(u -> assertThat(u.used()).isEqualTo(inr("1090")));
        });
        assertThat(stream).filteredOn(EmergencyBypass.class::isInstance).hasSize(1);
        limits.settle("sos", "acme", inr("150"));
        assertThat(limits.budgetUsage("acme").get(0).used()).isEqualTo(inr("240"));
    }

    @Test
    void anEmergencyPurposeBypassesAsWellAsAnEmergencyPriority() {
        limits.admit("a", call("acme"), CallCategory.INTERNET_VOIP, inr("0"), inr("100"));
        CallRequest byPurpose = call("acme").toBuilder().purpose(Purpose.EMERGENCY).build();

        assertThat(limits.admit("sos", byPurpose, CallCategory.INTERNET_VOIP, inr("0"), inr("5")).bypassed()).isTrue();
    }

    @Test
    void anOrdinaryCallIsNotFlaggedAndRaisesNoBypassEvent() {
        Admission a = limits.admit("a", call("acme"), CallCategory.INTERNET_VOIP, inr("1"), inr("0"));

        assertThat(a.bypassed()).isFalse();
        assertThat(bypasses).isEmpty();
    }

    @Test
    void anEmergencyWithinTheCapsIsStillFlaggedButNotOverCap() {
        limits.admit("sos", emergency("acme"), CallCategory.INTERNET_VOIP, inr("1"), inr("0"));

        assertThat(bypasses).singleElement().satisfies(b -> assertThat(b.overCap()).isFalse());
    }
}
