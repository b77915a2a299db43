package io.globalcalling.core.campaign;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code maxCalls} calls to one number within any {@code per}, counting every call on record to
 * that number (other campaigns and single calls included) but one no provider was asked for (its node stopped
 * before sending it), which rang no one. A target over its cap waits until it is not.
 */
public record FrequencyCap(int maxCalls, Duration per) {

    public FrequencyCap {
        Objects.requireNonNull(per, "per");
        if (maxCalls < 1) throw new IllegalArgumentException("frequency cap maxCalls " + maxCalls + " must be at least 1");
        if (per.isZero() || per.isNegative()) {
            throw new IllegalArgumentException("frequency cap period " + per + " must be positive");
        }
    }
}
