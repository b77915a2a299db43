package io.globalcalling.core.limits;

import io.globalcalling.CallCategory;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.globalcalling.core.limits.Fixtures.call;
import static io.globalcalling.core.limits.Fixtures.inr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RateWindowLimitsTest {

    // 16:15:00 in Asia/Kolkata; the local hour started at 10:30Z, the local day at 18:30Z the day before.
    private final MutableClock clock = MutableClock.at("2026-11-24T10:45:00Z");
    private final Money rate = inr("1");
    private final Money free = inr("0");

    private CallLimits.Builder limits() {
        return CallLimits.builder().clock(clock);
    }

    private Admission admit(CallLimits limits, String callId) {
        return limits.admit(callId, call("acme"), CallCategory.INTERNET_VOIP, rate, free);
    }

    private LimitExceededException refusal(CallLimits limits, String callId) {
        return catchThrowableOfType(LimitExceededException.class, () -> admit(limits, callId));
    }

    @Test
    void allowsAHundredCallsAMinuteByDefaultAndRefusesTheNextWithAClearException() {
        CallLimits limits = limits().budgets().build();
        for (int i = 0; i < 100; i++) admit(limits, "c" + i);

        LimitExceededException e = refusal(limits, "c100");

        assertThat(e.reason()).isEqualTo(ErrorReason.RATE_WINDOW);
        assertThat(e.retryable()).isTrue();
        assertThat(e.limitName()).isEqualTo("calls-per-minute");
        assertThat(e.customerId()).contains("acme");
        assertThat(e.window()).contains("minute");
        assertThat(e.windowKey()).contains("2026-11-24T10:45:00Z");
        assertThat(e.count()).hasValue(100);
        assertThat(e.callCap()).hasValue(100);
        assertThat(e.retryAt()).isEqualTo(Instant.parse("2026-11-24T10:46:00Z"));
        assertThat(e).hasMessage("customer 'acme' reached its limit of 100 calls per minute (100 counted in the window"
                + " starting 2026-11-24T10:45:00Z); the next call is allowed at 2026-11-24T10:46:00Z");
    }

    @Test
    void theMinuteWindowRenewsAtTheNextMinute() {
        CallLimits limits = limits().rateWindows(RateWindow.perMinute(2)).budgets().build();
        clock.set("2026-11-24T10:45:59.999Z");
        admit(limits, "a");
        admit(limits, "b");
        assertThat(refusal(limits, "c")).isNotNull();

        clock.set("2026-11-24T10:46:00Z");

        assertThat(admit(limits, "d").bypassed()).isFalse();
    }

    @Test
    void aClockSteppedBackCountsInTheEarlierWindowAgain() {
        // the caps of the current windows are kept between calls: a clock stepped back must not reuse a later minute's
        CallLimits limits = limits().rateWindows(RateWindow.perMinute(2)).budgets().build();
        clock.set("2026-11-24T10:45:30Z");
        admit(limits, "a");
        admit(limits, "b");
        clock.set("2026-11-24T10:46:10Z");
        admit(limits, "c");

        clock.set("2026-11-24T10:45:50Z");

        assertThat(refusal(limits, "d").windowKey()).contains("2026-11-24T10:45:00Z");
    }

    @Test
    void theHourWindowFollowsTheLocalHourOfTheZone() {
        CallLimits limits = limits().rateWindows(RateWindow.perHour(3)).budgets().build();
        for (int i = 0; i < 3; i++) admit(limits, "c" + i);

        LimitExceededException e = refusal(limits, "c3");

        assertThat(e.limitName()).isEqualTo("calls-per-hour");
        assertThat(e.windowKey()).contains("2026-11-24T10:30:00Z");
        assertThat(e.retryAt()).isEqualTo(Instant.parse("2026-11-24T11:30:00Z"));
        clock.set("2026-11-24T11:29:59Z");
        assertThat(refusal(limits, "c4")).isNotNull();
        clock.set("2026-11-24T11:30:00Z");
        admit(limits, "c5");
    }

    @Test
    void theDayWindowRenewsAtMidnightInTheZone() {
        CallLimits limits = limits().rateWindows(RateWindow.perDay(2)).budgets().build();
        clock.set("2026-11-24T18:29:59Z"); // 23:59:59 IST
        admit(limits, "a");
        admit(limits, "b");

        LimitExceededException e = refusal(limits, "c");

        assertThat(e.windowKey()).contains("2026-11-23T18:30:00Z");
        assertThat(e.retryAt()).isEqualTo(Instant.parse("2026-11-24T18:30:00Z"));
        clock.set("2026-11-24T18:30:00Z");
        admit(limits, "d");
    }

    @Test
    void aCallCountsInEveryWindowAndTheLongestFullWindowIsNamed() {
        CallLimits limits = limits().rateWindows(RateWindow.perMinute(2), RateWindow.perHour(2)).budgets().build();
        admit(limits, "a");
        admit(limits, "b");

        LimitExceededException e = refusal(limits, "c");

        assertThat(e.limitName()).isEqualTo("calls-per-hour");
        assertThat(e.retryAt()).isEqualTo(Instant.parse("2026-11-24T11:30:00Z"));
        clock.advance(Duration.ofMinutes(1));
        assertThat(refusal(limits, "d").limitName()).isEqualTo("calls-per-hour");
    }

    @Test
    void aCustomersOwnWindowsReplaceTheGlobalOnes() {
        CallLimits limits = limits().rateWindows(RateWindow.perMinute(1))
                .customerRateWindows("vip", RateWindow.perMinute(3)).budgets().build();

        for (int i = 0; i < 3; i++) limits.admit("v" + i, call("vip"), CallCategory.INTERNET_VOIP, rate, free);
        admit(limits, "a");

        assertThat(refusal(limits, "b").callCap()).hasValue(1);
        assertThat(catchThrowableOfType(LimitExceededException.class,
                () -> limits.admit("v3", call("vip"), CallCategory.INTERNET_VOIP, rate, free)).callCap()).hasValue(3);
    }

    @Test
    void aCallRefusedByAWindowHoldsNothingFromTheBudget() {
        CallLimits limits = limits().rateWindows(RateWindow.perMinute(1)).build();
        admit(limits, "a");

        refusal(limits, "b");

        assertThat(limits.budgetUsage("acme")).allSatisfy(u -> assertThat(u.used()).isEqualTo(inr("10")));
    }

    @Test
    void aZeroCapRefusesEveryCall() {
        CallLimits limits = limits().rateWindows(RateWindow.perDay(0)).budgets().build();

        assertThat(refusal(limits, "a").count()).hasValue(0);
    }

    @Test
    void sixtyFourRacingThreadsNeverPassAnyWindow() throws Exception {
        CallLimits limits = limits().rateWindows(RateWindow.perMinute(10), RateWindow.perHour(50), RateWindow.perDay(120))
                .budgets().build();
        clock.set("2026-11-24T10:30:00Z"); // 16:00 IST, a local hour's start
        List<Integer> admittedPerMinute = new ArrayList<>();
        int sequence = 0;
        for (int hour = 0; hour < 3; hour++) {
            for (int minute = 0; minute < 6; minute++) {
                clock.set(Instant.parse("2026-11-24T10:30:00Z").plus(Duration.ofHours(hour).plusMinutes(minute)));
                AtomicInteger admitted = new AtomicInteger();
                int base = sequence;
                Fixtures.race(64, t -> {
                    try {
                        admit(limits, "r" + base + "-" + t);
                        admitted.incrementAndGet();
                    } catch (LimitExceededException refused) {
                        assertThat(refused.count().getAsLong()).isLessThanOrEqualTo(refused.callCap().getAsLong());
                    }
                });
                sequence++;
                admittedPerMinute.add(admitted.get());
            }
        }

        // 10 a minute until the hour holds 50; three hours give 50 + 50 + 20 before the day holds 120.
        assertThat(admittedPerMinute).containsExactly(
                10, 10, 10, 10, 10, 0,
                10, 10, 10, 10, 10, 0,
                10, 10, 0, 0, 0, 0);
    }
}
