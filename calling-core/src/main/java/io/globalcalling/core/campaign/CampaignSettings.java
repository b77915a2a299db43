package io.globalcalling.core.campaign;

import io.globalcalling.PhoneNumber;
import io.globalcalling.Purpose;
import org.jspecify.annotations.Nullable;

/**
 * What a campaign keeps beside the store's columns, as one text: its policy, purpose and caller id, and the
 * fingerprint of its creator's request (compared when a create under its idempotency key comes again).
 */
record CampaignSettings(CampaignPolicy policy, @Nullable Purpose purpose, @Nullable String from,
                        @Nullable String requestFingerprint) {

    static CampaignSettings of(NewCampaign spec) {
        return new CampaignSettings(spec.policy(), spec.purpose(), spec.from(), spec.requestFingerprint());
    }

    String toText() {
        StringBuilder text = new StringBuilder(policy.toText());
        if (purpose != null) text.append("purpose=").append(purpose.wireName()).append('\n');
        if (from != null) text.append("from=").append(from).append('\n');
        if (requestFingerprint != null) text.append("request=").append(requestFingerprint).append('\n');
        return text.toString();
    }

    /** As a record prints itself, except the caller ID, masked, and whether a request fingerprint is kept. */
    @Override
    public String toString() {
        return "CampaignSettings[policy=" + policy + ", purpose=" + purpose + ", from="
                + (from == null ? null : PhoneNumber.mask(from)) + ", requestFingerprint="
                + (requestFingerprint == null ? null : "<kept>") + "]";
    }

    static CampaignSettings fromText(@Nullable String text) {
        Purpose purpose = null;
        String from = null;
        String request = null;
        if (text != null) {
            for (String line : text.split("\n")) {
                if (line.startsWith("purpose=")) purpose = Purpose.fromWireName(line.substring(8));
                if (line.startsWith("from=")) from = line.substring(5);
                if (line.startsWith("request=")) request = line.substring(8);
            }
        }
        return new CampaignSettings(CampaignPolicy.fromText(text), purpose, from, request);
    }
}
