package io.globalcalling.provider.vonage.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.util.List;

/**
 * Pricing API {@code GET /account/get-pricing/outbound/voice?country=XX}: the country's default per-minute price
 * and one per network, in {@code currency} (field names from vonage-java-sdk 8.x {@code PricingResponse}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CountryPricing(@JsonProperty("countryCode") String countryCode,
                             @JsonProperty("dialingPrefix") String dialingPrefix,
                             @JsonProperty("defaultPrice") BigDecimal defaultPrice,
                             @JsonProperty("currency") String currency,
                             @JsonProperty("networks") List<Network> networks) {

    public CountryPricing {
        networks = networks == null ? List.of() : List.copyOf(networks);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Network(@JsonProperty("type") String type, @JsonProperty("price") BigDecimal price,
                          @JsonProperty("currency") String currency, @JsonProperty("networkName") String networkName) {
    }
}
