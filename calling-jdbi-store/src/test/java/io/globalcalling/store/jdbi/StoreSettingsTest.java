package io.globalcalling.store.jdbi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreSettingsTest {

    @Test
    void groupCommitIsOffWithOneWriterByDefault() {
        StoreSettings defaults = StoreSettings.defaults();

        assertThat(defaults.groupCommit()).isFalse();
        assertThat(defaults.groupCommitWriters()).isEqualTo(1);
        assertThat(defaults.toString()).contains("groupCommit=false", "groupCommitWriters=1");
    }

    @Test
    void groupCommitWritersOutsideOneToSixtyFourAreRefusedByName() {
        for (int bad : new int[] {0, -1, 65}) {
            assertThatThrownBy(() -> StoreSettings.builder().groupCommitWriters(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("groupCommitWriters " + bad + " must be between 1 and 64");
        }
        assertThat(StoreSettings.builder().groupCommitWriters(64).build().groupCommitWriters()).isEqualTo(64);
        assertThat(StoreSettings.builder().groupCommitWriters(2).build().groupCommitWriters()).isEqualTo(2);
    }
}
