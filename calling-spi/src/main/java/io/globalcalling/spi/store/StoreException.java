package io.globalcalling.spi.store;

import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;

/** The store could not do what was asked (database unreachable, schema too new, ...). */
public class StoreException extends CallingException {

    public StoreException(String message, Throwable cause) {
        super(ErrorReason.INTERNAL, message, cause);
    }

    public StoreException(String message) {
        super(ErrorReason.INTERNAL, message);
    }
}
