package io.globalcalling.spi.store;

import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;
import org.jspecify.annotations.Nullable;

/** The store could not do what was asked (database unreachable, schema too new, ...). */
public class StoreException extends CallingException {

    public StoreException(String message, @Nullable Throwable cause) {
        super(ErrorReason.INTERNAL, message, cause);
    }

    public StoreException(String message) {
        super(ErrorReason.INTERNAL, message);
    }
}
