package io.globalcalling.provider.awsconnect.internal;

import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.HashSet;
import java.util.Set;

/**
 * Follows the {@code NextToken} chain of one Connect listing, within bounds: a token Connect gives a second time
 * (the listing would go round for ever) or more than {@link #MAX_PAGES} pages (one that never ends) is refused as
 * Connect's failure, an {@link SdkClientException} like any answer that cannot be used. A listing is read on a
 * thread that matters (a routing decision, a webhook), so it must end.
 */
final class NextTokens {

    /** Far more than a listing of ours needs: 100 pages of 100 queues, or of 100 contacts of one call. */
    static final int MAX_PAGES = 100;

    private final String operation;
    private final Set<String> seen = new HashSet<>();
    private int pages;

    NextTokens(String operation) {
        this.operation = operation;
    }

    /**
     * @param token the token of the page just read
     * @return the token to ask for next, or null when the listing has ended
     * @throws SdkClientException when the token came before, or the listing has run past {@link #MAX_PAGES} pages
     */
    String next(String token) {
        pages++;
        if (token == null || token.isBlank()) return null;
        // the token is Connect's opaque state: not quoted
        if (!seen.add(token)) {
            throw SdkClientException.create(operation + ": Amazon Connect gave a NextToken it had given before, after "
                    + pages + " pages; the listing is not followed round again");
        }
        if (pages >= MAX_PAGES) {
            throw SdkClientException.create(operation + ": Amazon Connect's listing went on past " + MAX_PAGES
                    + " pages; it is not followed further");
        }
        return token;
    }
}
