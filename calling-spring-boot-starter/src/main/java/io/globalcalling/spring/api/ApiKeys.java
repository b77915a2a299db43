package io.globalcalling.spring.api;

import java.util.Optional;

/**
 * Who an API key belongs to. The starter's {@link HashedApiKeys} reads {@code calling.api.keys.*}; a bean of this
 * type defined by the application (keys kept in its own database, say) replaces it.
 */
@FunctionalInterface
public interface ApiKeys {

    /**
     * The customer whose key was presented, or empty for an unknown key. Implementations compare in constant
     * time and never log the key.
     */
    Optional<String> customerOf(String presentedKey);
}
