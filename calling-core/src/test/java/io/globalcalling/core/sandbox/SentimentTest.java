package io.globalcalling.core.sandbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SentimentTest {

    @Test
    void countsPositiveWordsAgainstNegativeOnes() {
        assertThat(Sentiment.of("Yes, that works for me. Thank you!")).isEqualTo(new Sentiment.Result("positive", 3));
        assertThat(Sentiment.of("No, I am not interested. Please stop calling.")).isEqualTo(new Sentiment.Result("negative", -3));
        assertThat(Sentiment.of("Okay. I will check and call back later.")).isEqualTo(new Sentiment.Result("neutral", 0));
    }
}
