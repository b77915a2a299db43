package io.globalcalling.core.routing;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class AmountsTest {

    @Test
    void fixedWritesWhatStringFormatWrites() {
        SplittableRandom random = new SplittableRandom(20261124);
        for (int i = 0; i < 200_000; i++) {
            double value = switch (i % 4) {
                case 0 -> random.nextDouble();
                case 1 -> Math.round(random.nextDouble() * 100_000) / 100_000.0; // ties at the rounding digit
                case 2 -> random.nextDouble() * 1_000;
                default -> -random.nextDouble() * 10;
            };
            for (int places = 1; places <= 3; places++) {
                assertThat(Amounts.fixed(value, places))
                        .as("%s to %d places", value, places)
                        .isEqualTo(String.format(Locale.ROOT, "%." + places + "f", value));
            }
        }
    }

    @Test
    void fixedWritesTiesAndEdgesAsStringFormatDoes() {
        double[] values = {0.0, -0.0, 0.5, 0.05, 0.005, 0.0005, 0.125, 0.375, 1.0, 0.8, 0.2, 1 - 0.8, 0.945, 2.675,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e-10, 123456789.0455};
        for (double value : values) {
            for (int places = 1; places <= 3; places++) {
                assertThat(Amounts.fixed(value, places))
                        .as("%s to %d places", value, places)
                        .isEqualTo(String.format(Locale.ROOT, "%." + places + "f", value));
            }
        }
    }
}
