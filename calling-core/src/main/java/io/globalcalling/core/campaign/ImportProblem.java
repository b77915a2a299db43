package io.globalcalling.core.campaign;

import io.globalcalling.PhoneNumber;

/**
 * A target row that was skipped, and why.
 *
 * @param line    the row's line in the CSV (1 is the header), or its 1-based position in a list or stream
 * @param field   the column at fault
 * @param value   the value at fault
 * @param message what is wrong, naming the field and the value
 */
public record ImportProblem(long line, String field, String value, String message) {

    /**
     * The problem without the person's data: the number at fault masked (in the message too) and a row by its size
     * only. The accessors keep them whole, for the host to show whoever fixes the list.
     */
    @Override
    public String toString() {
        String shown = switch (field) {
            case "number" -> PhoneNumber.mask(value);
            case "row" -> "<" + value.length() + " characters>";
            default -> value;
        };
        String said = PhoneNumber.maskNumbersIn(value.isEmpty() ? message : message.replace(value, shown));
        return "ImportProblem[line=" + line + ", field=" + field + ", value=" + shown + ", message=" + said + "]";
    }
}
