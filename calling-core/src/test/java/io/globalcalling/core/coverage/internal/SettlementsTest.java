package io.globalcalling.core.coverage.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SettlementsTest {

    /**
     * Settlements in the resource's format, one unit per degree, written as the tool's README describes it:
     * (0, 0), (0, 10) on the same row, then (60, 179) and (89, -180) on later rows.
     */
    private static byte[] tiny(boolean trailingByte) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("GCS1".getBytes(StandardCharsets.US_ASCII));
        byte[] source = "test places, CC0, 2026-01-01".getBytes(StandardCharsets.UTF_8);
        raw.write(source.length);
        raw.writeBytes(source);
        raw.write(1);                                   // units per degree
        raw.write(4);                                   // points
        writeVarint(raw, 90); writeVarint(raw, 180);    // row 90 (0 N), column 180 (0 E)
        raw.write(0); raw.write(10);                    // same row, 10 columns east
        raw.write(60); writeVarint(raw, 359);           // row 150 (60 N), column 359 (179 E)
        raw.write(29); raw.write(0);                    // row 179 (89 N), column 0 (180 W)
        if (trailingByte) raw.write(0);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw.toByteArray());
        }
        return gz.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        while (value >= 0x80) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    @Test
    void findsAPlaceWithinTheDistanceAndNoFarther() throws IOException {
        Settlements places = Settlements.read(new ByteArrayInputStream(tiny(false)));

        assertThat(places.size()).isEqualTo(4);
        assertThat(places.source()).isEqualTo("test places, CC0, 2026-01-01");
        // one degree of latitude is 111.2 km on the authalic sphere
        assertThat(places.anyWithin(1.0, 0, 112)).isTrue();
        assertThat(places.anyWithin(1.0, 0, 110)).isFalse();
        assertThat(places.anyWithin(0, 10.3, 35)).as("the second point on the row").isTrue();
        assertThat(places.anyWithin(0, 5, 35)).isFalse();
    }

    @Test
    void looksAcrossTheAntimeridianAndOverThePole() throws IOException {
        Settlements places = Settlements.read(new ByteArrayInputStream(tiny(false)));

        // 1.1 degrees of longitude at 60 N: 61.2 km
        assertThat(places.anyWithin(60, -179.9, 62)).as("179 E seen from 179.9 W").isTrue();
        assertThat(places.anyWithin(60, -179.9, 60)).as("179 E seen from 179.9 W, too far").isFalse();
        assertThat(places.anyWithin(89.5, 0, 60)).as("89 N 180 W seen from the other side of the pole").isFalse();
        assertThat(places.anyWithin(89.9, 0, 125)).as("over the pole, 1.1 degrees away").isTrue();
        assertThat(places.anyWithin(90, 0, 112)).as("from the pole itself").isTrue();
    }

    @Test
    void refusesANegativeDistance() throws IOException {
        Settlements places = Settlements.read(new ByteArrayInputStream(tiny(false)));

        assertThatThrownBy(() -> places.anyWithin(0, 0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("km -1.0");
    }

    @Test
    void refusesAnotherFileOrTrailingBytes() throws IOException {
        assertThatThrownBy(() -> Settlements.read(new ByteArrayInputStream(tiny(true))))
                .isInstanceOf(IOException.class).hasMessageContaining("trailing bytes");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("GCG1".getBytes(StandardCharsets.US_ASCII));
        }
        assertThatThrownBy(() -> Settlements.read(new ByteArrayInputStream(gz.toByteArray())))
                .isInstanceOf(IOException.class).hasMessageContaining("not a settlements file");
    }

    @Test
    void theShippedResourceNamesItsSourceLicenceAndDate() {
        Settlements shipped = Settlements.shared();

        assertThat(shipped.source()).contains("GeoNames", "cities1000", "CC BY 4.0", "2026-09-26");
        assertThat(shipped.size()).isBetween(150_000, 200_000);
    }

    @Test
    void distancesAreGreatCircleDistances() {
        // London to Paris: about 344 km
        assertThat(Settlements.distanceKm(51.5074, -0.1278, 48.8566, 2.3522)).isCloseTo(344, within(2.0));
        assertThat(Settlements.distanceKm(0, 179.5, 0, -179.5)).isCloseTo(111.2, within(0.1));
    }
}
