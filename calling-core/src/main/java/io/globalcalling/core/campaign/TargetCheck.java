package io.globalcalling.core.campaign;

import io.globalcalling.CallCategory;
import io.globalcalling.PhoneNumber;
import io.globalcalling.Purpose;
import io.globalcalling.core.coverage.NumberInfo;
import org.jspecify.annotations.Nullable;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Set;

/**
 * Checks a campaign's settings before it is recorded, and a target before it is stored: its number, its time zone,
 * and the script's values.
 */
final class TargetCheck {

    private final NumberInfo numbers;

    TargetCheck(NumberInfo numbers) {
        this.numbers = numbers;
    }

    /**
     * Refuses settings every call of the campaign would be refused for (as a single call with them is), so that the
     * campaign is not recorded to fail each of its targets.
     *
     * @throws IllegalArgumentException naming the setting
     */
    void checkSettings(NewCampaign spec) {
        if (spec.category() == CallCategory.SYSTEM_API) {
            throw new IllegalArgumentException("category system_api cannot reach a campaign's targets, which are phone "
                    + "numbers: it reaches http(s) URLs and satellite terminals (imei:)");
        }
        if (spec.category() == CallCategory.AI_AUTOMATED && spec.script() == null) {
            // as call() refuses such a call: every target would be refused for it
            throw new IllegalArgumentException("script is required for an ai_automated campaign: it is what its calls"
                    + " speak");
        }
        if (spec.category() == null && spec.script() == null
                && (spec.purpose() == Purpose.NOTIFICATION || spec.purpose() == Purpose.ALERT)) {
            // routing sends a bulk notification or alert to a phone number as ai_automated, which call() then refuses
            // for want of a script (a satellite number routes as satellite: a campaign of those pins its category)
            throw new IllegalArgumentException("script is required for an ai_automated call: it is what the call speaks,"
                    + " and this call routes as ai_automated (bulk " + spec.purpose().wireName() + " to a phone number:"
                    + " ai_automated)");
        }
        if (spec.from() != null) {
            PhoneNumber from;
            try {
                from = PhoneNumber.of(spec.from());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("caller ID (from) '" + spec.from() + "': " + e.getMessage(), e);
            }
            if (!numbers.isSatellite(from) && !numbers.isValid(from)) {
                throw new IllegalArgumentException("caller ID (from) '" + spec.from() + "' is well-formed E.164 but "
                        + "not a valid number in its country's numbering plan");
            }
        }
    }

    /** What is wrong with the target at {@code line}, or null when nothing is. */
    @Nullable ImportProblem problem(long line, Target t, Set<String> placeholders) {
        PhoneNumber number;
        try {
            number = PhoneNumber.of(t.number());
        } catch (IllegalArgumentException e) {
            return new ImportProblem(line, "number", t.number(), "line " + line + ": " + e.getMessage());
        }
        if (!numbers.isSatellite(number) && !numbers.isValid(number)) {
            return new ImportProblem(line, "number", t.number(), "line " + line + ": number '" + t.number()
                    + "' is not a valid number in its country's numbering plan");
        }
        if (t.timeZone() != null) {
            try {
                ZoneId.of(t.timeZone());
            } catch (DateTimeException e) {
                return new ImportProblem(line, "timezone", t.timeZone(), "line " + line + ": timezone '"
                        + t.timeZone() + "' is not a known time zone id");
            }
        }
        for (String name : placeholders) {
            String value = t.variables().get(name);
            if (value == null || value.isBlank()) {
                return new ImportProblem(line, name, value == null ? "" : value, "line " + line + ": the script needs "
                        + "{{" + name + "}} but " + name + " is " + (value == null ? "missing" : "blank '" + value + "'"));
            }
        }
        return null;
    }

    /** The number in E.164 form. @throws IllegalArgumentException naming it when it is not one */
    static String e164(String number) {
        return PhoneNumber.of(number).value();
    }
}
