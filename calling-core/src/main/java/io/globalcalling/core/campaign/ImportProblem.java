package io.globalcalling.core.campaign;

/**
 * A target row that was skipped, and why.
 *
 * @param line    the row's line in the CSV (1 is the header), or its 1-based position in a list or stream
 * @param field   the column at fault
 * @param value   the value at fault
 * @param message what is wrong, naming the field and the value
 */
public record ImportProblem(long line, String field, String value, String message) {
}
