package io.globalcalling.load;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the {@link TwilioSimulator} plays calls out. Durations are simulated time; {@code timeScale} simulated
 * seconds pass per real second, so minutes-long calls fit a short run.
 *
 * @param accountSid      the Account SID whose calls resource is served
 * @param authToken       checks Basic auth and signs the callbacks
 * @param timeScale       simulated seconds per real second, at least 1
 * @param postDialMin     shortest time from create to ringing
 * @param postDialMax     longest time from create to ringing
 * @param answerRatio     share of calls answered; the rest end busy, no-answer or failed by the next ratios
 * @param busyRatio       share of calls that end busy
 * @param noAnswerRatio   share of calls that ring out (no-answer after the create's Timeout)
 * @param talkMedian      median talk time of an answered call (log-normal)
 * @param talkMax         longest talk time (default four times the median): bounds how long a drain takes
 * @param duplicateRate   share of callbacks delivered twice
 * @param outOfOrderRate  share of progress callbacks delivered after the next one
 * @param pricePerMinute  USD per started minute, reported (negative, as Twilio does) when a completed call is fetched
 * @param senders         callbacks in flight at once
 * @param seed            seeds the random draws
 */
record SimulatorSettings(String accountSid, String authToken, double timeScale, Duration postDialMin,
                         Duration postDialMax, double answerRatio, double busyRatio, double noAnswerRatio,
                         Duration talkMedian, Duration talkMax, double duplicateRate, double outOfOrderRate,
                         String pricePerMinute, int senders, long seed) {

    SimulatorSettings {
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(authToken, "authToken");
        if (!(timeScale >= 1)) throw new IllegalArgumentException("timeScale " + timeScale + " must be at least 1");
        if (postDialMax.compareTo(postDialMin) < 0) {
            throw new IllegalArgumentException("postDialMax " + postDialMax + " must not be below postDialMin " + postDialMin);
        }
        for (double ratio : new double[] {answerRatio, busyRatio, noAnswerRatio, duplicateRate, outOfOrderRate}) {
            if (!(ratio >= 0 && ratio <= 1)) throw new IllegalArgumentException("ratio " + ratio + " must be within 0..1");
        }
        if (answerRatio + busyRatio + noAnswerRatio > 1.0000001) {
            throw new IllegalArgumentException("answerRatio " + answerRatio + " + busyRatio " + busyRatio
                    + " + noAnswerRatio " + noAnswerRatio + " must not exceed 1");
        }
        if (talkMax.compareTo(talkMedian) < 0) {
            throw new IllegalArgumentException("talkMax " + talkMax + " must not be below talkMedian " + talkMedian);
        }
        if (senders < 1) throw new IllegalArgumentException("senders " + senders + " must be positive");
    }

    /** The settings in {@code args} ({@code --name=value}), defaults for the rest. */
    static SimulatorSettings from(Map<String, String> args) {
        Duration talkMedian = Args.duration(args.getOrDefault("talk-median", "3m"));
        Duration talkMax = args.containsKey("talk-max") ? Args.duration(args.get("talk-max")) : talkMedian.multipliedBy(4);
        return new SimulatorSettings(
                args.getOrDefault("account-sid", LoadDefaults.ACCOUNT_SID),
                args.getOrDefault("auth-token", LoadDefaults.AUTH_TOKEN),
                Double.parseDouble(args.getOrDefault("time-scale", "1")),
                Args.duration(args.getOrDefault("post-dial-min", "2s")),
                Args.duration(args.getOrDefault("post-dial-max", "8s")),
                Double.parseDouble(args.getOrDefault("answer-ratio", "0.7")),
                Double.parseDouble(args.getOrDefault("busy-ratio", "0.1")),
                Double.parseDouble(args.getOrDefault("no-answer-ratio", "0.15")),
                talkMedian,
                talkMax,
                Double.parseDouble(args.getOrDefault("duplicate-rate", "0.05")),
                Double.parseDouble(args.getOrDefault("out-of-order-rate", "0.05")),
                args.getOrDefault("price-per-minute", "0.0140"),
                Integer.parseInt(args.getOrDefault("senders", "64")),
                Long.parseLong(args.getOrDefault("seed", "18")));
    }

    /** Real time for a simulated duration. */
    long realMillis(Duration simulated) {
        return Math.round(simulated.toMillis() / timeScale);
    }

    @Override
    public String toString() {
        return "SimulatorSettings[accountSid=" + accountSid + ", authToken=****, timeScale=" + timeScale
                + ", postDial=" + postDialMin + ".." + postDialMax + ", answer=" + answerRatio + ", busy=" + busyRatio
                + ", noAnswer=" + noAnswerRatio + ", talkMedian=" + talkMedian + ", talkMax=" + talkMax
                + ", duplicates=" + duplicateRate
                + ", outOfOrder=" + outOfOrderRate + "]";
    }
}
