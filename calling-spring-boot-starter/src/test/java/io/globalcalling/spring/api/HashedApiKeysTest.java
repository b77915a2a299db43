package io.globalcalling.spring.api;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys known by their SHA-256 only (issue 17). */
class HashedApiKeysTest {

    @Test
    void aKeyIsKnownByItsHashAndNamesItsCustomer() {
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put("acme", HashedApiKeys.sha256Hex("acme-key"));
        hashes.put("globex", HashedApiKeys.sha256Hex("globex-key").toUpperCase());
        HashedApiKeys keys = new HashedApiKeys(hashes);

        assertThat(keys.customerOf("acme-key")).hasValue("acme");
        assertThat(keys.customerOf("globex-key")).hasValue("globex");
        assertThat(keys.customerOf("acme-key ")).isEmpty();
        assertThat(keys.customerOf("")).isEmpty();
        assertThat(keys.customerOf(hashes.get("acme"))).as("the hash itself opens nothing").isEmpty();
    }

    @Test
    void theSha256OfAKnownTextIsTheStandardOne() {
        assertThat(HashedApiKeys.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void toStringNamesCustomersOnly() {
        String hash = HashedApiKeys.sha256Hex("acme-key");
        assertThat(new HashedApiKeys(Map.of("acme", hash)).toString()).contains("acme").doesNotContain(hash);
    }

    @Test
    void oneKeyGivenToTwoCustomersIsRefusedNamingBothWithoutTheHash() {
        // the key opened only the first customer's account: the second's requests were recorded, limited and billed
        // as the first's
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put("acme", HashedApiKeys.sha256Hex("shared-key"));
        hashes.put("globex", HashedApiKeys.sha256Hex("shared-key").toUpperCase());

        assertThatThrownBy(() -> new HashedApiKeys(hashes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("calling.api.keys.globex").hasMessageContaining("calling.api.keys.acme")
                .hasMessageNotContaining(hashes.get("acme"));
    }

    @Test
    void aBadCustomerIdIsNamed() {
        assertThatThrownBy(() -> new HashedApiKeys(Map.of("a b", HashedApiKeys.sha256Hex("k"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("calling.api.keys.a b");
    }
}
