package io.globalcalling.spring.admin;

/**
 * The dashboard is enabled without a usable login ({@code calling.admin.username}, {@code calling.admin.password-hash});
 * the message names the property, never the hash.
 */
public class AdminLoginException extends IllegalStateException {

    AdminLoginException(String message) {
        super(message);
    }
}
