package io.globalcalling.spring;

/** {@code calling.store.type=jdbi} asks for the application's DataSource, and there is none. */
public class StoreUnavailableException extends IllegalStateException {

    StoreUnavailableException() {
        super("calling.store.type is jdbi, but the application has no single DataSource to keep calls in: configure one"
                + " (spring.datasource.url) or set calling.store.type to auto or memory");
    }
}
