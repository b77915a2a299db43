package io.globalcalling.provider.twilio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.util.List;

/** Pricing API v2 {@code GET /v2/Voice/Countries/{IsoCountry}}: outbound prices by destination prefix. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VoiceCountry(@JsonProperty("country") String country,
                           @JsonProperty("iso_country") String isoCountry,
                           @JsonProperty("outbound_prefix_prices") List<PrefixPrice> outboundPrefixPrices,
                           @JsonProperty("price_unit") String priceUnit) {

    public VoiceCountry {
        outboundPrefixPrices = outboundPrefixPrices == null ? List.of() : List.copyOf(outboundPrefixPrices);
    }

    /** One OutboundPrefixPriceWithOrigin record; prices arrive as decimal strings such as {@code "0.013"}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PrefixPrice(@JsonProperty("destination_prefixes") List<String> destinationPrefixes,
                              @JsonProperty("origination_prefixes") List<String> originationPrefixes,
                              @JsonProperty("base_price") BigDecimal basePrice,
                              @JsonProperty("current_price") BigDecimal currentPrice,
                              @JsonProperty("friendly_name") String friendlyName) {

        public PrefixPrice {
            destinationPrefixes = destinationPrefixes == null ? List.of() : List.copyOf(destinationPrefixes);
            originationPrefixes = originationPrefixes == null ? List.of() : List.copyOf(originationPrefixes);
        }

        /** What Twilio charges this account now; the list price when no current price is given. */
        public BigDecimal price() {
            return currentPrice != null ? currentPrice : basePrice;
        }
    }
}
