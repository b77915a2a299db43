package io.globalcalling.spi.store;

/**
 * How a campaign's targets stand, counted by the store in one read.
 *
 * @param total     every target
 * @param pending   waiting for their first attempt or a retry
 * @param claimed   held by a worker (deciding, placing, or with a call in flight)
 * @param inFlight  of the claimed, those whose latest attempt is under way
 * @param done      finished with an answered call (or a message left)
 * @param failed    finished without success (attempts used up, refused number)
 * @param skipped   finished without a call (suppressed, cancelled)
 * @param retrying  of the pending, those already attempted (a retry is scheduled)
 * @param attempts  attempts recorded over all targets
 */
public record TargetCounts(int total, int pending, int claimed, int inFlight, int done, int failed, int skipped,
                           int retrying, long attempts) {

    public static final TargetCounts NONE = new TargetCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Targets not finished yet. */
    public int open() {
        return pending + claimed;
    }
}
