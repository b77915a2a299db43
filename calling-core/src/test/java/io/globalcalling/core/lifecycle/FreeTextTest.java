package io.globalcalling.core.lifecycle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10: a provider's free text is kept up to a cap, cut visibly and never in the middle of a character. */
class FreeTextTest {

    @Test
    void textThatFitsIsKeptAsItIs() {
        String exactly = "a".repeat(FreeText.MAX_CHARS);

        assertThat(FreeText.cap(exactly)).isSameAs(exactly);
        assertThat(FreeText.cap(null)).isNull();
    }

    @Test
    void longerTextIsCutToTheCapWithAMarkerNamingItsLength() {
        String text = "b".repeat(FreeText.MAX_CHARS + 1);

        String kept = FreeText.cap(text);

        assertThat(kept).hasSize(FreeText.MAX_CHARS).endsWith("…[cut: " + (FreeText.MAX_CHARS + 1) + " characters]")
                .startsWith("bbbb");
        assertThat(FreeText.cutMarker(42)).isEqualTo("…[cut: 42 characters]");
    }

    @Test
    void aCharacterOutsideTheBasicPlaneIsNeverSplit() {
        String marker = FreeText.cutMarker(FreeText.MAX_CHARS + 10);
        int cut = FreeText.MAX_CHARS - marker.length();
        // a surrogate pair straddling the cut: its high half is the last character that would be kept
        String text = "c".repeat(cut - 1) + "\uD83D\uDCDE" + "d".repeat(FreeText.MAX_CHARS + 10 - cut - 1);

        String kept = FreeText.cap(text);

        assertThat(kept).isEqualTo("c".repeat(cut - 1) + marker);
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - marker.length() - 1))).isFalse();
    }
}
