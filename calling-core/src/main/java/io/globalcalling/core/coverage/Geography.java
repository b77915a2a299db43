package io.globalcalling.core.coverage;

import io.globalcalling.GeoPoint;

/** Decides, offline, what lies at a point: land or sea, which country, polar or not. */
@FunctionalInterface
public interface Geography {
    Place locate(GeoPoint point);
}
