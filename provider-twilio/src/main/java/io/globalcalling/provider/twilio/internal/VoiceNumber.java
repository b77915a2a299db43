package io.globalcalling.provider.twilio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.util.List;

/**
 * Pricing API v2 {@code GET /v2/Voice/Numbers/{DestinationNumber}} (twilio.com/docs/voice/pricing, and twilio-java's
 * {@code com.twilio.rest.pricing.v2.voice.Number}): the destination's country, when it has one, and the account's
 * outbound prices to that very number, which Twilio gives for any number, satellite phones included.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VoiceNumber(@JsonProperty("destination_number") String destinationNumber,
                          @JsonProperty("country") String country,
                          @JsonProperty("iso_country") String isoCountry,
                          @JsonProperty("outbound_call_prices") List<CallPrice> outboundCallPrices,
                          @JsonProperty("price_unit") String priceUnit) {

    public VoiceNumber {
        outboundCallPrices = outboundCallPrices == null ? List.of() : List.copyOf(outboundCallPrices);
    }

    /** One OutboundCallPriceWithOrigin record; prices arrive as decimal strings such as {@code "0.013"}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CallPrice(@JsonProperty("base_price") BigDecimal basePrice,
                            @JsonProperty("current_price") BigDecimal currentPrice,
                            @JsonProperty("origination_prefixes") List<String> originationPrefixes) {

        public CallPrice {
            originationPrefixes = originationPrefixes == null ? List.of() : List.copyOf(originationPrefixes);
        }

        /** What Twilio charges this account now; the list price when no current price is given. */
        public BigDecimal price() {
            return currentPrice != null ? currentPrice : basePrice;
        }
    }
}
