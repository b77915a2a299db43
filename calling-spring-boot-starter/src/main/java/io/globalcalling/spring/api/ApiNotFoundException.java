package io.globalcalling.spring.api;

/** The call or campaign does not exist, or belongs to another customer; answered 404. */
public final class ApiNotFoundException extends RuntimeException {

    public ApiNotFoundException(String message) {
        super(message);
    }
}
