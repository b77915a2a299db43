package io.globalcalling.spring.api;

/** The request conflicts with what is on record (a campaign's state, an idempotency key's call); answered 409. */
public final class ApiConflictException extends RuntimeException {

    public ApiConflictException(String message) {
        super(message);
    }
}
