package io.globalcalling.core.lifecycle;

import io.globalcalling.spi.CallStatus;
import io.globalcalling.spi.store.CallRecord;

/**
 * A call moved forward. Listeners get it after the store has the new status and, for a terminal
 * status, after the call's cost was settled and stored (only if settling failed does the record lack
 * its cost). Each forward move is told once.
 *
 * @param record    the record as stored after the change
 * @param previous  the status it had before
 */
public record CallStatusChanged(CallRecord record, CallStatus previous) {

    public CallStatus current() {
        return record.status();
    }
}
