package io.globalcalling.core.coverage.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Where people live: one point per populated place, read from the resource that
 * {@code calling-core/tools/geogrid} generates from GeoNames (its README describes the format and
 * {@link #source()} names the data, its licence and date). The points are bucketed by whole degree,
 * so a question about a neighbourhood reads only the buckets it overlaps. Immutable and thread-safe.
 */
public final class Settlements {

    private static final String RESOURCE = "/io/globalcalling/core/coverage/settlements.bin.gz";
    private static final byte[] MAGIC = "GCS1".getBytes(StandardCharsets.US_ASCII);
    private static final int BUCKET_COLUMNS = 360;
    private static final int BUCKET_ROWS = 180;
    private static final double KM_PER_DEGREE = Math.toRadians(1) * CountryGrid.EARTH_RADIUS_KM;

    private final String source;
    private final int count;
    /** Index of each bucket's first point in {@link #latitudes}; bucket b holds points start[b] until start[b + 1]. */
    private final int[] bucketStart;
    private final double[] latitudes;
    private final double[] longitudes;

    private Settlements(String source, int count, int[] bucketStart, double[] latitudes, double[] longitudes) {
        this.source = source;
        this.count = count;
        this.bucketStart = bucketStart;
        this.latitudes = latitudes;
        this.longitudes = longitudes;
    }

    /** The settlements shipped with calling-core, read once per JVM on first use. */
    public static Settlements shared() {
        return Shared.SETTLEMENTS;
    }

    private static final class Shared {
        static final Settlements SETTLEMENTS = load();

        private static Settlements load() {
            try (InputStream in = Settlements.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
                return read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }

    /** Reads settlements from their gzipped form. */
    public static Settlements read(InputStream gzipped) throws IOException {
        Objects.requireNonNull(gzipped, "gzipped");
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(gzipped), 1 << 16));
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a settlements file: magic " + new String(magic, StandardCharsets.ISO_8859_1));
        }
        int sourceLength = readVarint(in);
        if (sourceLength > 4096) throw new IOException("source text of " + sourceLength + " bytes exceeds 4096");
        byte[] sourceBytes = new byte[sourceLength];
        in.readFully(sourceBytes);
        int units = readVarint(in);
        if (units < 1 || units > 3600) throw new IOException("unitsPerDegree " + units + " is out of range");
        int count = readVarint(in);
        int rows = 180 * units;
        int columns = 360 * units;
        int[] rowOf = new int[count];
        int[] columnOf = new int[count];
        int row = 0;
        int column = 0;
        for (int i = 0; i < count; i++) {
            int rowDelta = readVarint(in);
            int next = readVarint(in);
            row += rowDelta;
            column = rowDelta == 0 ? column + next : next;
            if (row > rows || column >= columns) throw new IOException("point " + i + " at row " + row + ", column " + column + " is off the globe");
            rowOf[i] = row;
            columnOf[i] = column;
        }
        if (in.read() != -1) throw new IOException("trailing bytes after the last point");
        return bucketed(new String(sourceBytes, StandardCharsets.UTF_8), units, rowOf, columnOf);
    }

    private static Settlements bucketed(String source, int units, int[] rowOf, int[] columnOf) {
        int count = rowOf.length;
        int[] bucketOf = new int[count];
        int[] start = new int[BUCKET_ROWS * BUCKET_COLUMNS + 1];
        for (int i = 0; i < count; i++) {
            bucketOf[i] = bucket(-90.0 + (double) rowOf[i] / units, -180.0 + (double) columnOf[i] / units);
            start[bucketOf[i] + 1]++;
        }
        for (int b = 0; b < BUCKET_ROWS * BUCKET_COLUMNS; b++) start[b + 1] += start[b];
        int[] next = Arrays.copyOf(start, start.length - 1);
        double[] latitudes = new double[count];
        double[] longitudes = new double[count];
        for (int i = 0; i < count; i++) {
            int at = next[bucketOf[i]]++;
            latitudes[at] = -90.0 + (double) rowOf[i] / units;
            longitudes[at] = -180.0 + (double) columnOf[i] / units;
        }
        return new Settlements(source, count, start, latitudes, longitudes);
    }

    private static int bucket(double latitude, double longitude) {
        int row = Math.min(BUCKET_ROWS - 1, (int) Math.floor(latitude + 90));
        int column = Math.floorMod((int) Math.floor(longitude + 180), BUCKET_COLUMNS);
        return row * BUCKET_COLUMNS + column;
    }

    private static int readVarint(DataInputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.read();
            if (b < 0) throw new EOFException("settlements end inside a number");
            value |= (b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw new IOException("varint longer than 32 bits");
    }

    /** Where the data comes from: the dataset, its licence and its date, as the resource records them. */
    public String source() {
        return source;
    }

    /** How many distinct points (places an arc-minute apart or more) there are. */
    public int size() {
        return count;
    }

    /**
     * Whether a settlement lies within {@code km} of the point, measured along the Earth's surface.
     *
     * @throws IllegalArgumentException when {@code km} is negative or not finite
     */
    public boolean anyWithin(double latitude, double longitude, double km) {
        if (!(km >= 0) || Double.isInfinite(km)) throw new IllegalArgumentException("km " + km + " must be finite and not negative");
        double degreesLatitude = km / KM_PER_DEGREE;
        int firstRow = Math.max(0, (int) Math.floor(latitude - degreesLatitude + 90));
        int lastRow = Math.min(BUCKET_ROWS - 1, (int) Math.floor(latitude + degreesLatitude + 90));
        // The widest longitude span the distance covers is at the band's edge nearest a pole.
        double poleward = Math.min(90, Math.abs(latitude) + degreesLatitude);
        double cos = Math.cos(Math.toRadians(poleward));
        int span = cos * 180 <= degreesLatitude ? BUCKET_COLUMNS : (int) Math.ceil(degreesLatitude / cos) + 1;
        int centre = (int) Math.floor(longitude + 180);
        for (int row = firstRow; row <= lastRow; row++) {
            for (int c = centre - Math.min(span, BUCKET_COLUMNS / 2); c <= centre + Math.min(span, BUCKET_COLUMNS / 2 - 1); c++) {
                int b = row * BUCKET_COLUMNS + Math.floorMod(c, BUCKET_COLUMNS);
                for (int i = bucketStart[b]; i < bucketStart[b + 1]; i++) {
                    if (distanceKm(latitude, longitude, latitudes[i], longitudes[i]) <= km) return true;
                }
            }
        }
        return false;
    }

    /** Great-circle distance on a sphere of {@link CountryGrid#EARTH_RADIUS_KM} (haversine). */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * CountryGrid.EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
