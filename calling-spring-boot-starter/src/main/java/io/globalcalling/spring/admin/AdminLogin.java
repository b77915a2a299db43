package io.globalcalling.spring.admin;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The dashboard's one admin user, checked at start-up; its authentication has no parent to fall back on. */
final class AdminLogin {

    private static final Pattern ENCODED = Pattern.compile("\\{([^{}]+)}.+");

    private AdminLogin() {
    }

    /**
     * An authentication manager that knows the configured admin only: the host's own users never log in here.
     *
     * @throws AdminLoginException when the user name is blank or the hash is missing or not an encoded hash
     */
    static AuthenticationManager of(CallingAdminProperties properties) {
        String username = properties.getUsername();
        if (username == null || username.isBlank()) {
            throw new AdminLoginException("calling.admin.username is blank: the dashboard needs an admin user name");
        }
        String hash = properties.getPasswordHash();
        if (hash == null || hash.isBlank()) {
            throw new AdminLoginException("calling.admin.enabled is true but calling.admin.password-hash is not set:"
                    + " the dashboard has no password, and the library never makes one up");
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        checkEncoded(hash, encoder);
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(
                User.withUsername(username).password(hash).roles("CALLING_ADMIN").build()));
        provider.setPasswordEncoder(encoder);
        return new ProviderManager(provider);
    }

    /** Refuses a hash without a known encoder id (a plain password, say), naming the id but never the hash. */
    private static void checkEncoded(String hash, PasswordEncoder encoder) {
        Matcher m = ENCODED.matcher(hash);
        if (!m.matches()) {
            throw new AdminLoginException("calling.admin.password-hash is not an encoded hash with its encoder's id,"
                    + " like {bcrypt}$2a$10$...: configure the hash, never the password");
        }
        if (m.group(1).equals("noop")) {   // the delegating encoder knows it, but what follows it is the password
            throw new AdminLoginException("calling.admin.password-hash names the encoder id 'noop', which holds the"
                    + " password itself: configure the hash, never the password (use bcrypt, argon2, pbkdf2 or scrypt)");
        }
        try {
            encoder.matches("start-up check", hash);   // an empty password is refused before the id is looked up
        } catch (IllegalArgumentException e) {
            throw new AdminLoginException("calling.admin.password-hash names the encoder id '" + m.group(1)
                    + "', which Spring Security does not know (use bcrypt, argon2, pbkdf2 or scrypt)");
        }
    }
}
