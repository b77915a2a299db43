package io.globalcalling.core.campaign.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads CSV (RFC 4180: commas, double quotes, doubled quotes inside quotes, CRLF or LF) one record at
 * a time, so a file of any length is read in constant memory. A quoted field may span lines; the
 * record's line number is the line it starts on. A byte-order mark before the first record (spreadsheets save UTF-8
 * with one) is not part of it.
 */
public final class CsvRows {

    private final Reader in;
    private long line = 1;
    private long recordLine;
    private int peeked = -2;

    public CsvRows(Reader in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /** The line the last record returned started on (1-based). */
    public long recordLine() {
        return recordLine;
    }

    /** The next record's fields, or null at the end. A blank line is an empty list. */
    public List<String> next() {
        try {
            int c = read();
            if (c == '\uFEFF' && line == 1 && recordLine == 0) c = read();
            if (c == -1) return null;
            recordLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            while (true) {
                if (quoted) {
                    if (c == -1) throw new IllegalArgumentException("line " + recordLine + ": a quoted field is not closed");
                    if (c == '"') {
                        int n = read();
                        if (n == '"') field.append('"');
                        else {
                            quoted = false;
                            c = n;
                            continue;
                        }
                    } else {
                        if (c == '\n') line++;
                        field.append((char) c);
                    }
                } else if (c == '"' && field.length() == 0) {
                    quoted = true;
                    any = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    any = true;
                } else if (c == '\r' || c == '\n' || c == -1) {
                    if (c == '\r') {
                        int n = read();
                        if (n != '\n') unread(n);
                    }
                    if (c != -1) line++;
                    if (any || field.length() > 0) fields.add(field.toString());
                    return fields;
                } else {
                    field.append((char) c);
                    any = true;
                }
                c = read();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CSV could not be read at line " + line, e);
        }
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        return in.read();
    }

    private void unread(int c) {
        peeked = c;
    }
}
