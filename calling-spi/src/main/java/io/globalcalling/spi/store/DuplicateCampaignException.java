package io.globalcalling.spi.store;

import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;

/** The customer already has a campaign created under the same idempotency key; its id is in the exception. */
public class DuplicateCampaignException extends CallingException {

    private final String existingCampaignId;

    public DuplicateCampaignException(String existingCampaignId, String message) {
        super(ErrorReason.INVALID_REQUEST, message);
        this.existingCampaignId = existingCampaignId;
    }

    /** The campaign created earlier under the key. */
    public String existingCampaignId() {
        return existingCampaignId;
    }
}
