package io.globalcalling.core.sandbox;

import java.util.Locale;
import java.util.Set;

/**
 * A deliberately simple sentiment label for simulated transcripts: each word found in
 * {@link #POSITIVE} counts +1, each in {@link #NEGATIVE} counts -1; a total above 0 is
 * {@code positive}, below 0 {@code negative}, else {@code neutral}.
 */
final class Sentiment {

    static final Set<String> POSITIVE = Set.of("yes", "great", "good", "thanks", "thank", "sure", "works",
            "happy", "perfect", "excellent", "love", "helpful", "glad");
    static final Set<String> NEGATIVE = Set.of("no", "not", "never", "bad", "stop", "unhappy", "angry",
            "cancel", "terrible", "wrong", "complaint", "annoyed");

    record Result(String label, int score) {
    }

    private Sentiment() {
    }

    static Result of(String text) {
        int score = 0;
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")) {
            if (POSITIVE.contains(word)) score++;
            if (NEGATIVE.contains(word)) score--;
        }
        return new Result(score > 0 ? "positive" : score < 0 ? "negative" : "neutral", score);
    }
}
