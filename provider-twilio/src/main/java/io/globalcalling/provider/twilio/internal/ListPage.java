package io.globalcalling.provider.twilio.internal;

import java.util.List;

/** One page of a Twilio list resource: its items and the relative {@code next_page_uri}, null on the last page. */
public interface ListPage<T> {

    List<T> items();

    String nextPageUri();
}
