package io.globalcalling.provider.vonage;

import io.globalcalling.spi.ProviderPace;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pace the provider declares, played out as the token bucket {@link ProviderPace} describes (a bucket of
 * {@code burst} turns, refilled at {@code callsPerSecond}): Vonage answers 429, and queues nothing, above
 * 3 new calls in any second.
 */
class VonagePaceTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theDeclaredPaceNeverStartsMoreThanThreeCallsInAnySecond() {
        ProviderPace pace;
        try (TestProviderContext context = VonageFixtures.context()) {
            pace = VonageFixtures.provider(VonageFixtures.baseConfig("http://127.0.0.1:9"), context).capabilities().pace();
        }

        List<Long> starts = asSoonAsAllowed(pace, 30);

        assertThat(busiestSecond(starts)).isLessThanOrEqualTo(3);
        assertThat(starts.get(29)).as("30 calls still take under 10 s").isLessThan(10 * SECOND);
    }

    /** When each of {@code n} calls starts, each as soon as the bucket (full after a quiet spell) has a turn. */
    private static List<Long> asSoonAsAllowed(ProviderPace pace, int n) {
        double nanosPerTurn = SECOND / pace.callsPerSecond();
        double tokens = pace.burst();
        long now = 0;
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (tokens < 1) {
                long wait = (long) Math.ceil((1 - tokens) * nanosPerTurn);
                now += wait;
                tokens = Math.min(pace.burst(), tokens + wait / nanosPerTurn);
            }
            tokens -= 1;
            starts.add(now);
        }
        return starts;
    }

    /** The most calls started inside any half-open window of one second. */
    private static int busiestSecond(List<Long> starts) {
        int most = 0;
        for (int i = 0, j = 0; i < starts.size(); i++) {
            while (starts.get(i) - starts.get(j) >= SECOND) j++;
            most = Math.max(most, i - j + 1);
        }
        return most;
    }
}
