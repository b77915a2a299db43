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

class CountryGridTest {

    /** One cell per degree; every row is sea except row 90 (0..1 degrees north): AA for 10 columns, then no-country land for 5. */
    private static byte[] tinyGrid(int lastRunLength) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("GCG1".getBytes(StandardCharsets.US_ASCII));
        raw.write(1);                                          // cells per degree
        raw.write(2);                                          // legend size
        raw.writeBytes("AA--".getBytes(StandardCharsets.US_ASCII));
        for (int row = 0; row < 180; row++) {
            if (row == 90) {
                raw.write(3);
                raw.write(1); raw.write(10);                   // AA, 10 columns from -180
                raw.write(2); raw.write(5);                    // --, 5 columns
                raw.write(0); writeVarint(raw, lastRunLength);  // sea for the rest
            } else {
                raw.write(1);
                raw.write(0); writeVarint(raw, 360);
            }
        }
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
    void looksUpTheRunHoldingAPoint() throws IOException {
        CountryGrid grid = CountryGrid.read(new ByteArrayInputStream(tinyGrid(345)));

        assertThat(grid.codeAt(0.5, -180)).contains("AA");
        assertThat(grid.codeAt(0.5, -170.5)).contains("AA");
        assertThat(grid.codeAt(0.5, -169.5)).contains(CountryGrid.NO_COUNTRY);
        assertThat(grid.codeAt(0.5, -165)).isEmpty();
        assertThat(grid.codeAt(1.5, -175)).isEmpty();
        assertThat(grid.codeAt(90, 180)).isEmpty();
    }

    @Test
    void aSeaCellNextToLandReadsAsTheNearestLand() throws IOException {
        CountryGrid grid = CountryGrid.read(new ByteArrayInputStream(tinyGrid(345)));

        assertThat(grid.codeNear(1.5, -175.5)).as("north of AA").contains("AA");
        assertThat(grid.codeNear(1.2, -170.1)).as("nearer the AA cell's centre than the -- cell's").contains("AA");
        assertThat(grid.codeNear(1.5, -169.4)).contains(CountryGrid.NO_COUNTRY);
        assertThat(grid.codeNear(2.5, -175.5)).as("two cells out").isEmpty();
        assertThat(grid.codeNear(0.5, 179.5)).as("across the antimeridian").contains("AA");
    }

    @Test
    void measuresCellsByLatitude() throws IOException {
        CountryGrid grid = CountryGrid.read(new ByteArrayInputStream(tinyGrid(345)));
        double r = CountryGrid.EARTH_RADIUS_KM;
        double oneCellAtTheEquator = r * r * Math.toRadians(1) * Math.sin(Math.toRadians(1));

        assertThat(grid.areaKm2("AA")).isCloseTo(10 * oneCellAtTheEquator, within(1e-6));
        assertThat(grid.areaKm2("BB")).isZero();
    }

    @Test
    void refusesARowThatDoesNotSpanTheGlobe() {
        assertThatThrownBy(() -> CountryGrid.read(new ByteArrayInputStream(tinyGrid(344))))
                .isInstanceOf(IOException.class).hasMessageContaining("row 90 covers 359 columns");
    }

    @Test
    void refusesAnotherFormat() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1));
        }
        assertThatThrownBy(() -> CountryGrid.read(new ByteArrayInputStream(gz.toByteArray())))
                .isInstanceOf(IOException.class).hasMessageContaining("not a country grid");
    }

    @Test
    void theShippedGridHasOneArcMinuteCellsAndCoversTheSphere() {
        CountryGrid grid = CountryGrid.shared();

        assertThat(grid.cellsPerDegree()).isEqualTo(60);
        assertThat(CountryGrid.earthAreaKm2()).isCloseTo(510_065_600, within(1_000.0));
        assertThat(grid.areaKm2(CountryGrid.NO_COUNTRY)).as("mostly Antarctica").isCloseTo(12_500_000, within(1_500_000.0));
    }
}
