package io.globalcalling.spring.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShownUrlsTest {

    @Test
    void aUrlIsShownWithoutItsUserInfoQueryOrFragment() {
        assertThat(ShownUrls.value("https://user:pw@hooks.example.com/a/b?token=t1#frag"))
                .isEqualTo("https://hooks.example.com/a/b?…");
        assertThat(ShownUrls.value("http://hooks.example.com#t1")).isEqualTo("http://hooks.example.com?…");
        assertThat(ShownUrls.value("+919876543210")).isEqualTo("+919876543210");
        assertThat(ShownUrls.value(null)).isNull();
    }

    @Test
    void aMessageQuotingABadUrlShowsNoneOfItsSecretsEvenPastASpace() {
        String bad = "https://user:pw@hooks.example.com/a b?token=t1";
        String message = "Illegal character in path at index 33: " + bad;

        assertThat(ShownUrls.text("to '" + bad + "': " + message, bad))
                .isEqualTo("to 'https://hooks.example.com/a b?…': Illegal character in path at index 33: "
                        + "https://hooks.example.com/a b?…");
    }

    @Test
    void everyUrlInATextIsShownAndTheQuoteAroundItKept() {
        assertThat(ShownUrls.text("call to 'https://u:p@h.example.com/x?k=v' failed; see http://a.example.com/y?z."))
                .isEqualTo("call to 'https://h.example.com/x?…' failed; see http://a.example.com/y?….");
        assertThat(ShownUrls.text("no url here")).isEqualTo("no url here");
    }
}
