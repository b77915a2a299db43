package io.globalcalling.core.campaign;

import java.util.List;

/**
 * What an import added: {@code added} targets, {@code duplicates} rows whose number was already a target,
 * and the rows skipped for bad input with their line numbers (the first {@link #MAX_PROBLEMS} listed,
 * {@code skipped} counts them all).
 */
public record ImportReport(long added, long duplicates, long skipped, List<ImportProblem> problems) {

    public static final int MAX_PROBLEMS = 1000;

    public ImportReport {
        problems = List.copyOf(problems);
    }
}
