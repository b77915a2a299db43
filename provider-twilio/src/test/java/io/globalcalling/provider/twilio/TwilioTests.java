package io.globalcalling.provider.twilio;

import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.TestProviderContext;

import java.time.Instant;

/** The provider context every Twilio test starts from: the testkit's, on a clock the test moves by hand. */
final class TwilioTests {

    static final Instant START = Instant.parse("2024-05-01T10:00:00Z");

    private TwilioTests() {
    }

    static TestProviderContext context() {
        return TestProviderContext.builder().clock(MutableClock.at(START)).build();
    }
}
