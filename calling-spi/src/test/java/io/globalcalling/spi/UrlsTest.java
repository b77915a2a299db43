package io.globalcalling.spi;

import io.globalcalling.WebhookUrl;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UrlsTest {

    @Test
    void dropsUserAndPasswordAndKeepsTheRest() {
        assertThat(Urls.withoutUserInfo(URI.create("https://u:secret@host.example:8443/p?q=1#f")))
                .isEqualTo("https://host.example:8443/p?q=1#f");
        assertThat(Urls.withoutUserInfo("http://user@host.example")).isEqualTo("http://host.example");
    }

    @Test
    void readsTheAuthorityOfTextThatIsNotAValidUri() {
        assertThat(Urls.withoutUserInfo("https://u:p@ss w@rd@bad host/x")).isEqualTo("https://bad host/x");
    }

    @Test
    void leavesUrlsWithoutCredentialsAndAtSignsOutsideTheAuthorityAlone() {
        assertThat(Urls.withoutUserInfo("https://host.example/a@b?c=d@e")).isEqualTo("https://host.example/a@b?c=d@e");
        assertThat(Urls.withoutUserInfo("mailto:someone@example.com")).isEqualTo("mailto:someone@example.com");
        assertThat(Urls.withoutUserInfo("")).isEmpty();
    }

    @Test
    void aWebhookEndpointPrintsWithoutItsCredentials() {
        WebhookUrl url = WebhookUrl.of("https://hook:s3cret@alerts.example.com/in");

        assertThat(url).hasToString("https://alerts.example.com/in");
        assertThat(url.value()).as("the endpoint itself keeps them").contains("s3cret");
        assertThatThrownBy(() -> WebhookUrl.of("ftp://hook:s3cret@alerts.example.com/in"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("s3cret");
    }
}
