package io.globalcalling.provider.vonage.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Pricing API {@code GET /account/get-prefix-pricing/outbound/voice?prefix=...}: every country (or network group,
 * such as a satellite range) whose dialling prefix matches, each priced as {@link CountryPricing} (shape from
 * vonage-java-sdk {@code PrefixPricingResponse}: {@code count} and {@code countries}; the .NET SDK's
 * {@code PricingResult} agrees).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PrefixPricing(@JsonProperty("count") Integer count,
                            @JsonProperty("countries") List<CountryPricing> countries) {

    public PrefixPricing {
        countries = countries == null ? List.of() : List.copyOf(countries);
    }
}
