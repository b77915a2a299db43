package io.globalcalling.core.coverage.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A latitude/longitude grid whose cells say sea, land without a country, or a country code, read from
 * the run-length encoded resource that {@code calling-core/tools/geogrid} generates (its README
 * describes the format). Each row keeps the start column of its runs, so a lookup is a binary search
 * in one row: O(log runs). Immutable and thread-safe.
 */
public final class CountryGrid {

    /** The code the resource uses for land that belongs to no country (Antarctica, disputed ground). */
    public static final String NO_COUNTRY = "--";

    /** Radius of the sphere with the Earth's surface area (the authalic radius of WGS84), in km. */
    public static final double EARTH_RADIUS_KM = 6371.0072;

    private static final String RESOURCE = "/io/globalcalling/core/coverage/country-grid.bin.gz";
    private static final byte[] MAGIC = "GCG1".getBytes(StandardCharsets.US_ASCII);
    private static final int SEA = 0;

    private final int cellsPerDegree;
    private final int columns;
    private final int rows;
    /** Index to code; index 0 (sea) has none. */
    private final String[] codes;
    private final int[][] runStarts;
    private final byte[][] runIndexes;
    private final Map<String, Double> areaKm2ByCode;

    private CountryGrid(int cellsPerDegree, String[] codes, int[][] runStarts, byte[][] runIndexes) {
        this.cellsPerDegree = cellsPerDegree;
        this.columns = 360 * cellsPerDegree;
        this.rows = 180 * cellsPerDegree;
        this.codes = codes;
        this.runStarts = runStarts;
        this.runIndexes = runIndexes;
        this.areaKm2ByCode = areas();
    }

    /** The grid shipped with calling-core, read once per JVM on first use. */
    public static CountryGrid shared() {
        return Shared.GRID;
    }

    private static final class Shared {
        static final CountryGrid GRID = load();

        private static CountryGrid load() {
            try (InputStream in = CountryGrid.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
                return read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }

    /** Reads a grid from its gzipped form. */
    public static CountryGrid read(InputStream gzipped) throws IOException {
        Objects.requireNonNull(gzipped, "gzipped");
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(gzipped), 1 << 16));
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a country grid: magic " + new String(magic, StandardCharsets.ISO_8859_1));
        }
        int cellsPerDegree = readVarint(in);
        if (cellsPerDegree < 1 || cellsPerDegree > 3600) throw new IOException("cellsPerDegree " + cellsPerDegree + " is out of range");
        int legendSize = readVarint(in);
        if (legendSize > 255) throw new IOException("legend size " + legendSize + " exceeds 255");
        String[] codes = new String[legendSize + 1];
        for (int i = 1; i <= legendSize; i++) {
            byte[] code = new byte[2];
            in.readFully(code);
            codes[i] = new String(code, StandardCharsets.US_ASCII);
        }
        int columns = 360 * cellsPerDegree;
        int rows = 180 * cellsPerDegree;
        int[][] starts = new int[rows][];
        byte[][] indexes = new byte[rows][];
        for (int row = 0; row < rows; row++) {
            int runs = readVarint(in);
            if (runs < 1 || runs > columns) throw new IOException("row " + row + " has " + runs + " runs");
            starts[row] = new int[runs];
            indexes[row] = new byte[runs];
            int column = 0;
            for (int run = 0; run < runs; run++) {
                int index = in.readUnsignedByte();
                if (index > legendSize) throw new IOException("row " + row + " names index " + index + " beyond the legend");
                starts[row][run] = column;
                indexes[row][run] = (byte) index;
                column += readVarint(in);
            }
            if (column != columns) throw new IOException("row " + row + " covers " + column + " columns, expected " + columns);
        }
        if (in.read() != -1) throw new IOException("trailing bytes after the last row");
        return new CountryGrid(cellsPerDegree, codes, starts, indexes);
    }

    private static int readVarint(DataInputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.read();
            if (b < 0) throw new EOFException("grid ends inside a number");
            value |= (b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw new IOException("varint longer than 32 bits");
    }

    public int cellsPerDegree() {
        return cellsPerDegree;
    }

    /** What covers the cell holding the point: empty at sea, else a country code or {@link #NO_COUNTRY}. */
    public Optional<String> codeAt(double latitude, double longitude) {
        return code(row(latitude), column(longitude));
    }

    /**
     * Like {@link #codeAt}, but a sea cell next to land takes the code of the land cell whose centre is
     * nearest the point: the grid knows a coastline only to a cell, so a point this close to the shore
     * is read as the shore.
     */
    public Optional<String> codeNear(double latitude, double longitude) {
        int row = row(latitude);
        int column = column(longitude);
        Optional<String> here = code(row, column);
        if (here.isPresent()) return here;
        double cosLatitude = Math.cos(Math.toRadians(latitude));
        double best = Double.MAX_VALUE;
        Optional<String> nearest = Optional.empty();
        for (int r = Math.max(0, row - 1); r <= Math.min(rows - 1, row + 1); r++) {
            for (int c = column - 1; c <= column + 1; c++) {
                int wrapped = Math.floorMod(c, columns);
                Optional<String> code = code(r, wrapped);
                if (code.isEmpty()) continue;
                double dy = -90 + (r + 0.5) / cellsPerDegree - latitude;
                double dx = (-180 + (c + 0.5) / cellsPerDegree - longitude) * cosLatitude;
                double distance = dx * dx + dy * dy;
                if (distance < best) {
                    best = distance;
                    nearest = code;
                }
            }
        }
        return nearest;
    }

    private int row(double latitude) {
        return Math.min(rows - 1, Math.max(0, (int) Math.floor((latitude + 90) * cellsPerDegree)));
    }

    private int column(double longitude) {
        return Math.min(columns - 1, Math.max(0, (int) Math.floor((longitude + 180) * cellsPerDegree)));
    }

    private Optional<String> code(int row, int column) {
        int found = Arrays.binarySearch(runStarts[row], column);
        int run = found >= 0 ? found : -found - 2;
        int index = runIndexes[row][run] & 0xff;
        return index == SEA ? Optional.empty() : Optional.of(codes[index]);
    }

    /** Area of the cells carrying the code on a sphere of {@link #EARTH_RADIUS_KM}, in km²; 0 for a code with no cell. */
    public double areaKm2(String code) {
        return areaKm2ByCode.getOrDefault(code, 0.0);
    }

    /** The sphere's whole surface, in km²: every cell, land and sea. */
    public static double earthAreaKm2() {
        return 4 * Math.PI * EARTH_RADIUS_KM * EARTH_RADIUS_KM;
    }

    /** A cell spans {@code 1/cellsPerDegree} degrees; its area shrinks with the cosine of its latitude. */
    private Map<String, Double> areas() {
        double step = Math.toRadians(1.0 / cellsPerDegree);
        double[] byIndex = new double[codes.length];
        for (int row = 0; row < rows; row++) {
            double south = Math.toRadians(-90.0 + (double) row / cellsPerDegree);
            double cell = EARTH_RADIUS_KM * EARTH_RADIUS_KM * step * (Math.sin(south + step) - Math.sin(south));
            int[] starts = runStarts[row];
            for (int run = 0; run < starts.length; run++) {
                int end = run + 1 < starts.length ? starts[run + 1] : columns;
                byIndex[runIndexes[row][run] & 0xff] += cell * (end - starts[run]);
            }
        }
        Map<String, Double> areas = new HashMap<>();
        for (int index = 1; index < codes.length; index++) {
            areas.merge(codes[index], byIndex[index], Double::sum);
        }
        return Map.copyOf(areas);
    }
}
