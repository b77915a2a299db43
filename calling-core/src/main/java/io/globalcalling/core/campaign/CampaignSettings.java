package io.globalcalling.core.campaign;

import io.globalcalling.Purpose;
import org.jspecify.annotations.Nullable;

/** What a campaign keeps beside the store's columns: its policy, purpose and caller id, as one text. */
record CampaignSettings(CampaignPolicy policy, @Nullable Purpose purpose, @Nullable String from) {

    static CampaignSettings of(NewCampaign spec) {
        return new CampaignSettings(spec.policy(), spec.purpose(), spec.from());
    }

    String toText() {
        StringBuilder text = new StringBuilder(policy.toText());
        if (purpose != null) text.append("purpose=").append(purpose.wireName()).append('\n');
        if (from != null) text.append("from=").append(from).append('\n');
        return text.toString();
    }

    static CampaignSettings fromText(@Nullable String text) {
        Purpose purpose = null;
        String from = null;
        if (text != null) {
            for (String line : text.split("\n")) {
                if (line.startsWith("purpose=")) purpose = Purpose.fromWireName(line.substring(8));
                if (line.startsWith("from=")) from = line.substring(5);
            }
        }
        return new CampaignSettings(CampaignPolicy.fromText(text), purpose, from);
    }
}
