package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookRejectedException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The crash test's provider, in the process that gets killed: it dials by asking the parent's
 * {@link CrashDialStub} over HTTP, which keeps the truth of what was dialled, and ends each call at
 * once. A look-up asks the stub whether the call arrived: it knows for certain, so a call that never
 * arrived is reported failed.
 */
final class CrashStubProvider implements CallingProvider {

    private final URI stub;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Clock clock = Clock.systemUTC();

    CrashStubProvider(URI stub) {
        this.stub = stub;
    }

    @Override
    public String id() {
        return "stub";
    }

    @Override
    public Set<CallCategory> categories() {
        return Set.of(CallCategory.INTERNET_VOIP);
    }

    @Override
    public ProviderCapabilities capabilities() {
        return ProviderCapabilities.builder().reconcileGrace(Duration.ofSeconds(1)).build();
    }

    @Override
    public ProviderCoverage coverage() {
        return ProviderCoverage.of(Set.of("IN"), false);
    }

    @Override
    public List<Rate> rates() {
        return List.of(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1.00")));
    }

    @Override
    public PlacedCall place(OutboundCall call) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(stub.resolve("/place"))
                    .POST(HttpRequest.BodyPublishers.ofString(call.callId() + "," + call.to().value()))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw ProviderException.of(id(), ErrorReason.OUTCOME_UNKNOWN, "stub said " + r.statusCode());
        } catch (IOException e) {
            throw ProviderException.of(id(), ErrorReason.OUTCOME_UNKNOWN, "no answer from the stub: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderException.of(id(), ErrorReason.OUTCOME_UNKNOWN, "interrupted");
        }
        return PlacedCall.of("S-" + call.callId(), CallStatus.COMPLETED);
    }

    @Override
    public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil) {
        return PlacementSearch.found(lookUp(call.callId()));
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        return Optional.of(lookUp(providerCallId.substring(2)));
    }

    private CallEvent lookUp(String callId) {
        try {
            String answer = http.send(HttpRequest.newBuilder(stub.resolve("/placed?callId=" + callId)).GET()
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            CallStatus status = "yes".equals(answer) ? CallStatus.COMPLETED : CallStatus.FAILED;
            return CallEvent.builder(id(), clock.instant()).callId(callId).providerCallId("S-" + callId).status(status)
                    .build();
        } catch (IOException e) {
            throw ProviderException.of(id(), ErrorReason.UNAVAILABLE, "stub unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderException.of(id(), ErrorReason.UNAVAILABLE, "interrupted");
        }
    }

    @Override
    public void hangUp(String providerCallId) {
    }

    @Override
    public WebhookHandler webhooks() {
        return (request, context) -> {
            throw new WebhookRejectedException("the crash stub takes no callbacks");
        };
    }
}
